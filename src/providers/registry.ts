// Every kind's provider module, by kind name. Adding a kind: write its metadata file
// (src/providers/<cloud>/<product>.kind.ts), its provider module next to it, and its emulator
// product, then run `npm run kinds` to regenerate the import lists.
import './modules.generated';

export { PROVIDERS, registerProvider } from './registered';
