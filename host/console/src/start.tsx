import './i18n';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

/**
 * The page parsed and its style sheets loaded: main.tsx (the entry) is an async script, which runs without waiting for
 * them, and rendering before the styles have arrived would show the console unstyled for a moment.
 */
async function pageReady(): Promise<void> {
  if (document.readyState === 'loading') {
    await new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true }));
  }
  const pending = [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')].filter((link) => !link.sheet);
  const loaded = Promise.all(
    pending.map((link) => new Promise((resolve) => {
      link.addEventListener('load', resolve, { once: true });
      link.addEventListener('error', resolve, { once: true });
    })),
  );
  // A style sheet that failed before we listened has no sheet and fires nothing more: the console renders anyway.
  await Promise.race([loaded, new Promise((resolve) => setTimeout(resolve, 10_000))]);
}

// The console itself (React, Mantine, the shell): loaded by main.tsx once it has started the first requests.
void pageReady().then(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
