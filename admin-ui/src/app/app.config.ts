import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  type ApplicationConfig,
  inject,
  provideAppInitializer,
  provideBrowserGlobalErrorListeners,
} from '@angular/core';
import {
  MAT_FORM_FIELD_DEFAULT_OPTIONS,
  type MatFormFieldDefaultOptions,
} from '@angular/material/form-field';
import { TitleStrategy, provideRouter, withComponentInputBinding } from '@angular/router';

import { APP_MENU } from './app.menu';
import { routes } from './app.routes';
import { authInterceptor } from './core/auth/auth.interceptor';
import { I18nTitleStrategy } from './core/i18n/i18n-title-strategy';
import { I18nService } from './core/i18n/i18n.service';
import { registerAppIcons } from './core/icons/app-icons';
import { MENU_ITEMS } from './core/navigation/menu-item';
import { ThemeService } from './core/theme/theme.service';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(
      [
        {
          path: '',
          // Lazy: the paginator labels' provider keeps Material's paginator out of the initial bundle.
          loadChildren: () =>
            import('./core/i18n/paginator-routes').then((m) => m.withTranslatedPaginator(routes)),
        },
      ],
      withComponentInputBinding(),
    ),
    provideHttpClient(withInterceptors([authInterceptor])),
    provideAppInitializer(() => {
      inject(ThemeService); // applies the remembered colour scheme before the first paint
      inject(I18nService); // sets <html lang>
      registerAppIcons();
    }),
    { provide: TitleStrategy, useClass: I18nTitleStrategy },
    { provide: MENU_ITEMS, useValue: APP_MENU },
    {
      provide: MAT_FORM_FIELD_DEFAULT_OPTIONS,
      useValue: { appearance: 'outline', subscriptSizing: 'dynamic' } satisfies MatFormFieldDefaultOptions,
    },
  ],
};
