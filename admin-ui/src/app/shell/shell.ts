import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { MatListItem, MatListItemIcon, MatListItemTitle, MatNavList } from '@angular/material/list';
import { MatMenu, MatMenuItem, MatMenuTrigger } from '@angular/material/menu';
import { MatSidenav, MatSidenavContainer, MatSidenavContent } from '@angular/material/sidenav';
import { MatToolbar } from '@angular/material/toolbar';
import { MatTooltip } from '@angular/material/tooltip';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { map } from 'rxjs';

import { AlertsBell } from '../alerts/alerts-bell';
import { AmocrmBanner } from '../connections/amocrm-banner';
import { AuthService } from '../core/auth/auth.service';
import type { TranslationKey } from '../core/i18n/i18n.types';
import { LanguageToggle } from '../core/i18n/language-toggle';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { MENU_ITEMS, visibleMenuItems } from '../core/navigation/menu-item';
import { Notifier } from '../core/notify/notifier';
import { ThemeToggle } from '../core/theme/theme-toggle';
import { CurrentWorkspaceStore } from '../workspaces/current-workspace';

/** Below this width the menu slides over the page and opens from a toolbar button. */
export const HANDSET_QUERY = '(max-width: 959.98px)';

/** Toolbar + side menu around every signed-in page. */
@Component({
  selector: 'app-shell',
  imports: [
    RouterOutlet,
    RouterLink,
    RouterLinkActive,
    MatToolbar,
    MatButton,
    MatIconButton,
    MatIcon,
    MatSidenavContainer,
    MatSidenav,
    MatSidenavContent,
    MatNavList,
    MatListItem,
    MatListItemIcon,
    MatListItemTitle,
    MatMenu,
    MatMenuItem,
    MatMenuTrigger,
    MatTooltip,
    LanguageToggle,
    ThemeToggle,
    TranslatePipe,
    AmocrmBanner,
    AlertsBell,
  ],
  templateUrl: './shell.html',
  styleUrl: './shell.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export default class Shell {
  private readonly auth = inject(AuthService);
  private readonly allItems = inject(MENU_ITEMS);
  private readonly dialog = inject(MatDialog);
  private readonly workspaces = inject(CurrentWorkspaceStore);
  private readonly router = inject(Router);
  private readonly notifier = inject(Notifier);

  /** The workspace shown in the top bar (and, for a super admin in another one, their own). */
  protected readonly workspace = this.workspaces.current;

  protected readonly user = this.auth.user;
  protected readonly roleKey = computed<TranslationKey | null>(() => {
    const user = this.auth.user();
    if (!user) {
      return null;
    }
    return user.isSuperAdmin ? 'roles.superAdmin' : `roles.${user.role}`;
  });
  protected readonly menu = computed(() => visibleMenuItems(this.allItems, this.auth.user()));
  protected readonly isHandset = toSignal(
    inject(BreakpointObserver)
      .observe(HANDSET_QUERY)
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );

  constructor() {
    this.auth.reloadUser();
    this.workspaces.reload();
  }

  /** A super admin working in another workspace goes back to their own (audited), to the workspaces list. */
  protected goHome(homeId: string): void {
    this.workspaces.open(homeId).subscribe({
      next: (current) => {
        this.notifier.info('workspaces.backHome', { name: current.name });
        void this.router.navigateByUrl('/workspaces');
      },
      error: (error: unknown) => this.notifier.error(error),
    });
  }

  protected closeIfHandset(drawer: MatSidenav): void {
    if (this.isHandset()) {
      void drawer.close();
    }
  }

  /** Opens the "change password" dialog (its code is loaded on first use). */
  protected changePassword(): void {
    void import('../account/change-password-dialog').then(({ ChangePasswordDialog }) =>
      this.dialog.open(ChangePasswordDialog, { width: '480px', maxWidth: 'calc(100vw - 32px)' }),
    );
  }

  protected logout(): void {
    this.auth.logout();
  }
}
