// Light and dark: the user's choice (kept in localStorage), else the system's prefers-color-scheme.
export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'triage-theme';

export function loadTheme(): ThemeChoice {
  const v = localStorage.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

/** The theme a choice shows now ("system" follows prefers-color-scheme). */
export function resolveTheme(choice: ThemeChoice): 'light' | 'dark' {
  const dark = choice === 'dark' || (choice === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  return dark ? 'dark' : 'light';
}

export function applyTheme(choice: ThemeChoice): 'light' | 'dark' {
  localStorage.setItem(KEY, choice);
  const theme = resolveTheme(choice);
  document.documentElement.dataset.theme = theme;
  return theme;
}
