import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogClose } from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { finalize } from 'rxjs';

import { AmocrmMetadataStore } from '../core/amocrm/amocrm-metadata-store';
import { FieldErrorPipe } from '../core/api/field-error.pipe';
import { describeHttpError } from '../core/api/problem-details';
import { AuthService } from '../core/auth/auth.service';
import { I18nService } from '../core/i18n/i18n.service';
import { LocalDatePipe } from '../core/i18n/local-date.pipe';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { Notifier } from '../core/notify/notifier';
import { LeadStatusChip } from '../shared/lead-status-chip';
import { LeadsApi } from '../shared/records/leads-api';
import type { Lead } from '../shared/records/leads.models';
import { actionErrorMessage } from '../shared/amocrm-errors';
import { customFieldRows } from '../shared/custom-field-values';
import { applyProblemWithPhones } from '../shared/form-problems';
import { phoneValidator } from '../shared/phone';
import { PhonePipe } from '../shared/phone.pipe';
import { RublesPipe } from '../shared/rubles.pipe';
import { SideSheet } from '../shared/side-sheet';
import { ContactsApi } from '../shared/records/contacts-api';
import type { Contact, UpdateContactRequest } from '../shared/records/contacts.models';

export interface ContactDrawerData {
  id: string;
  /** What the list already shows, displayed while the full record loads. */
  initial?: Contact;
  /** Called after the contact was saved here (the list updates its row). */
  changed?: (contact: Contact) => void;
}

/** How many linked leads the drawer lists. */
const LEADS_SHOWN = 20;

/**
 * A contact in a side sheet: every phone and e-mail, custom fields named from the amoCRM
 * metadata, amoCRM id and sync time, linked leads; managers and admins can edit it.
 */
@Component({
  selector: 'app-contact-drawer',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatDialogClose,
    MatButton,
    MatIcon,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatInput,
    MatProgressBar,
    FieldErrorPipe,
    LocalDatePipe,
    TranslatePipe,
    PhonePipe,
    RublesPipe,
    SideSheet,
    LeadStatusChip,
  ],
  templateUrl: './contact-drawer.html',
  styleUrl: '../shared/record-drawer.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ContactDrawer {
  private readonly api = inject(ContactsApi);
  private readonly leadsApi = inject(LeadsApi);
  private readonly auth = inject(AuthService);
  private readonly i18n = inject(I18nService);
  private readonly notifier = inject(Notifier);
  private readonly metadata = inject(AmocrmMetadataStore);
  private readonly data = inject<ContactDrawerData>(MAT_DIALOG_DATA);

  protected readonly contact = signal<Contact | null>(this.data.initial ?? null);
  protected readonly loading = signal(true);
  private readonly loadError = signal<unknown>(null);
  protected readonly loadErrorMessage = computed(() => {
    const error = this.loadError();
    return error === null
      ? null
      : describeHttpError(error, (key, params) => this.i18n.t(key, params)).message;
  });
  protected readonly leads = signal<Lead[] | null>(null);
  protected readonly leadsTotal = signal(0);
  protected readonly leadsShown = LEADS_SHOWN;

  protected readonly canEdit = computed(
    () => this.auth.user() !== null && this.auth.hasRole(['admin', 'manager']),
  );
  protected readonly editing = signal(false);
  protected readonly saving = signal(false);
  private readonly saveError = signal<unknown>(null);
  protected readonly saveErrorMessage = computed(() => {
    const error = this.saveError();
    return error === null ? null : actionErrorMessage(error, (key, params) => this.i18n.t(key, params));
  });

  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', [Validators.required, Validators.maxLength(255)]],
    phone: ['', [phoneValidator, Validators.maxLength(40)]],
    email: ['', [Validators.email, Validators.maxLength(254)]],
  });

  protected readonly responsible = computed(() => {
    const contact = this.contact();
    return contact ? this.metadata.userName(contact.responsibleUserId) : null;
  });
  protected readonly customFields = computed(() =>
    customFieldRows(
      this.contact()?.customFields,
      (id) => this.metadata.contactField(id),
      this.i18n.locale(),
      { yes: this.i18n.t('contacts.drawer.yes'), no: this.i18n.t('contacts.drawer.no') },
    ),
  );

  constructor() {
    this.metadata.ensureLoaded();
    this.load();
    this.loadLeads();
  }

  protected load(): void {
    this.loading.set(true);
    this.loadError.set(null);
    this.api
      .getOne(this.data.id)
      .pipe(finalize(() => this.loading.set(false)))
      .subscribe({
        next: (contact) => this.contact.set(contact),
        error: (error: unknown) => this.loadError.set(error),
      });
  }

  protected startEdit(): void {
    const contact = this.contact();
    if (!contact) {
      return;
    }
    this.form.reset({ name: contact.name, phone: '', email: '' });
    this.saveError.set(null);
    this.editing.set(true);
  }

  protected cancelEdit(): void {
    this.editing.set(false);
  }

  protected save(): void {
    const contact = this.contact();
    if (!contact || this.saving()) {
      return;
    }
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { name, phone, email } = this.form.getRawValue();
    const changes: UpdateContactRequest = {
      ...(name.trim() !== contact.name ? { name: name.trim() } : {}),
      ...(phone.trim() ? { phone: phone.trim() } : {}),
      ...(email.trim() ? { email: email.trim() } : {}),
    };
    if (Object.keys(changes).length === 0) {
      this.editing.set(false);
      return;
    }
    this.saveError.set(null);
    this.saving.set(true);
    this.api
      .update(contact.id, changes)
      .pipe(finalize(() => this.saving.set(false)))
      .subscribe({
        next: (updated) => {
          this.contact.set(updated);
          this.editing.set(false);
          this.data.changed?.(updated);
          this.notifier.info('contacts.saved');
        },
        error: (error: unknown) => {
          if (!applyProblemWithPhones(this.form, error, ['phone'])) {
            this.saveError.set(error);
          }
        },
      });
  }

  private loadLeads(): void {
    this.leadsApi.list({ contactId: this.data.id, page: 1, limit: LEADS_SHOWN }).subscribe({
      next: (page) => {
        this.leads.set(page.items);
        this.leadsTotal.set(page.total);
      },
      error: () => this.leads.set([]),
    });
  }
}
