import { DOCUMENT, InjectionToken, inject } from '@angular/core';

/** Leaves the console for an outside page in the same tab (amoCRM's consent page); tests replace it. */
export const OPEN_URL = new InjectionToken<(url: string) => void>('OPEN_URL', {
  factory: () => {
    const location = inject(DOCUMENT).location;
    return (url: string) => location.assign(url);
  },
});

/** The address amoCRM sends the admin back to after the consent page (the backend's callback). */
export const DEFAULT_REDIRECT_URI = new InjectionToken<string>('DEFAULT_REDIRECT_URI', {
  factory: () => `${inject(DOCUMENT).location.origin}/api/v1/connections/amocrm/callback`,
});
