// The change events the apps show (sync progress, "the lists changed", notices). The service
// layer emits them; the Electron IPC and the HTTP bridge (SSE) forward them to the renderer.
import type { ApiEvent } from '../core/api.js';

export class ApiEvents {
  private readonly listeners = new Set<(e: ApiEvent) => void>();

  on(listener: (e: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ApiEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A broken listener (a closed window, a dropped SSE client) must not stop the others.
      }
    }
  }
}
