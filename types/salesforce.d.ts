// Types for the Lightning Web Components (tsconfig.lwc.json): the platform's published types
// (@salesforce/lightning-types: lightning/* base components, @salesforce/user/*, …) plus the
// modules it does not cover yet, declared in lwc-platform.d.ts and coconut-apex.d.ts.
import '@salesforce/lightning-types';
