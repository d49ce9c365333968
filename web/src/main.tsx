import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import './i18n';
import { App } from './App';
import { loadCurrencies } from './lib/money';

// The currencies' decimals (money.ts), fetched once before any form needs them; useCurrencies() retries if this fails.
void loadCurrencies().catch(() => undefined);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter>
      <App />
    </BrowserRouter>
  </StrictMode>,
);
