import './styles.css';
import { App } from './app/app.ts';
import { applyDocumentLanguage } from './i18n/i18n.ts';

applyDocumentLanguage();
new App(document.getElementById('app')!).start();
