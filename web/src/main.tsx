import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { loadConfig } from './config';
import './ui/theme.css';

/** Start: read the runtime configuration (/config.json), then render the console. */
const root = createRoot(document.getElementById('root')!);
void loadConfig().then(() => root.render(<App />));
