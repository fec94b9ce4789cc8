import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles.css';
import { installApi } from './bridge';
import { SharedProvider } from './context';
import { App } from './App';
import { applyTheme, loadTheme } from './theme';

applyTheme(loadTheme());
const root = createRoot(document.getElementById('root')!);
const api = installApi();
if (!api) {
  root.render(
    <div className="welcome">
      <div className="welcome-card">
        <h1>This page needs its key</h1>
        <p>Open the address that “triage serve” printed in the terminal: it ends in ?token=…, which lets this page talk to the app.</p>
      </div>
    </div>,
  );
} else {
  root.render(
    <StrictMode>
      <SharedProvider api={api}>
        <App />
      </SharedProvider>
    </StrictMode>,
  );
}
