import { COMMA, ENTER } from '@angular/cdk/keycodes';
import {
  ChangeDetectionStrategy,
  Component,
  InjectionToken,
  computed,
  effect,
  inject,
  signal,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import {
  type AbstractControl,
  NonNullableFormBuilder,
  ReactiveFormsModule,
  type ValidationErrors,
  Validators,
} from '@angular/forms';
import { MatAutocomplete, MatAutocompleteTrigger } from '@angular/material/autocomplete';
import { MatButton } from '@angular/material/button';
import { MatButtonToggle, MatButtonToggleGroup } from '@angular/material/button-toggle';
import {
  MatChipGrid,
  MatChipInput,
  type MatChipInputEvent,
  MatChipRemove,
  MatChipRow,
} from '@angular/material/chips';
import {
  MatDialogActions,
  MatDialogClose,
  MatDialogContent,
  MatDialogRef,
  MatDialogTitle,
} from '@angular/material/dialog';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatOption, MatSelect } from '@angular/material/select';
import {
  catchError,
  debounceTime,
  distinctUntilChanged,
  filter,
  finalize,
  map,
  of,
  startWith,
  switchMap,
} from 'rxjs';

import { AmocrmMetadataStore } from '../core/amocrm/amocrm-metadata-store';
import { ContactsApi } from '../shared/records/contacts-api';
import type { Contact } from '../shared/records/contacts.models';
import { FieldErrorPipe } from '../core/api/field-error.pipe';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/translate.pipe';
import { actionErrorMessage } from '../shared/amocrm-errors';
import { applyProblemWithPhones } from '../shared/form-problems';
import { phoneOrEmailRequired, phoneValidator } from '../shared/phone';
import { PhonePipe } from '../shared/phone.pipe';
import { LeadsApi } from '../shared/records/leads-api';
import type { CreateLeadRequest, FoundOrCreatedLead } from '../shared/records/leads.models';

/** The «first stage of the pipeline» choice of the stage list (the server picks it when none is sent). */
const FIRST_STAGE = 0;

/** A lead needs a contact: one found by search, or a new one (found or created by phone/e-mail). */
export type ContactMode = 'existing' | 'new';

/** Typing pauses this long before contacts are searched (0 in tests). */
export const CONTACT_SEARCH_DEBOUNCE_MS = new InjectionToken<number>('CONTACT_SEARCH_DEBOUNCE_MS', {
  factory: () => 300,
});

/** A contact must be picked from the list, not just typed. */
function chosenContact(control: AbstractControl<Contact | string | null>): ValidationErrors | null {
  return typeof control.value === 'object' && control.value !== null ? null : { notChosen: true };
}

function wholeNumber(control: AbstractControl<number | null>): ValidationErrors | null {
  const value = control.value;
  return value === null || Number.isInteger(value) ? null : { isInt: true };
}

/**
 * "New lead": name; the contact picked by search or typed in as new; pipeline → stage;
 * budget in roubles; tags. Closes with the server's answer (`created` tells new from existing).
 */
@Component({
  selector: 'app-lead-create-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatDialogClose,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatInput,
    MatSelect,
    MatOption,
    MatAutocomplete,
    MatAutocompleteTrigger,
    MatButtonToggleGroup,
    MatButtonToggle,
    MatChipGrid,
    MatChipRow,
    MatChipInput,
    MatChipRemove,
    MatButton,
    MatIcon,
    MatProgressBar,
    FieldErrorPipe,
    PhonePipe,
    TranslatePipe,
  ],
  templateUrl: './lead-create-dialog.html',
  styleUrl: '../shared/form-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LeadCreateDialog {
  private readonly api = inject(LeadsApi);
  private readonly contactsApi = inject(ContactsApi);
  private readonly i18n = inject(I18nService);
  private readonly dialogRef = inject<MatDialogRef<LeadCreateDialog, FoundOrCreatedLead>>(MatDialogRef);
  protected readonly metadata = inject(AmocrmMetadataStore);
  private readonly fb = inject(NonNullableFormBuilder);

  protected readonly separators = [ENTER, COMMA] as const;
  protected readonly form = this.fb.group({
    name: ['', [Validators.required, Validators.maxLength(255)]],
    contactMode: this.fb.control<ContactMode>('existing'),
    contactSearch: this.fb.control<Contact | string | null>(null, chosenContact),
    contact: this.fb.group(
      {
        name: ['', [Validators.required, Validators.maxLength(255)]],
        phone: ['', [phoneValidator, Validators.maxLength(40)]],
        email: ['', [Validators.email, Validators.maxLength(254)]],
      },
      { validators: phoneOrEmailRequired },
    ),
    pipelineId: this.fb.control<number | null>(null),
    statusId: this.fb.control<number>(FIRST_STAGE),
    price: this.fb.control<number | null>(null, [Validators.min(0), wholeNumber]),
  });
  protected readonly tags = signal<readonly string[]>([]);

  protected readonly contactMode = toSignal(this.form.controls.contactMode.valueChanges, {
    initialValue: this.form.controls.contactMode.value,
  });
  private readonly pipelineId = toSignal(this.form.controls.pipelineId.valueChanges, { initialValue: null });
  /** Stages a lead can be put in (not "incoming": amoCRM keeps that for unsorted leads). */
  protected readonly statusOptions = computed(() => {
    const pipelines = this.metadata.pipelines();
    const pipeline = this.metadata.pipeline(this.pipelineId()) ?? pipelines.find((p) => p.isMain) ?? null;
    return pipeline
      ? [...pipeline.statuses]
          .filter((status) => status.type !== 1)
          .sort((a, b) => (a.sort ?? 0) - (b.sort ?? 0))
      : [];
  });
  /** Working pipelines, the main one first (listed once: it is the default). */
  protected readonly activePipelines = computed(() =>
    this.metadata
      .pipelines()
      .filter((p) => !p.isArchive)
      .sort((a, b) => Number(b.isMain) - Number(a.isMain)),
  );
  private readonly mainPipelineId = computed(
    () => this.metadata.pipelines().find((p) => p.isMain && !p.isArchive)?.id ?? null,
  );
  protected readonly firstStage = FIRST_STAGE;

  /** Contacts matching what is typed into the contact field. */
  protected readonly contactOptions = toSignal(
    this.form.controls.contactSearch.valueChanges.pipe(
      map((value) => (typeof value === 'string' ? value.trim() : null)),
      filter((text): text is string => text !== null),
      debounceTime(inject(CONTACT_SEARCH_DEBOUNCE_MS)),
      distinctUntilChanged(),
      switchMap((text) =>
        text.length < 2
          ? of<Contact[] | null>(null)
          : this.contactsApi.list({ search: text, page: 1, limit: 10 }).pipe(
              map((page) => page.items),
              catchError(() => of<Contact[]>([])),
            ),
      ),
      startWith(null),
    ),
    { initialValue: null },
  );

  protected readonly submitting = signal(false);
  private readonly failure = signal<unknown>(null);
  protected readonly errorMessage = computed(() => {
    const error = this.failure();
    return error === null ? null : actionErrorMessage(error, (key, params) => this.i18n.t(key, params));
  });

  constructor() {
    this.metadata.ensureLoaded();
    this.applyContactMode('existing');
    this.form.controls.contactMode.valueChanges
      .pipe(takeUntilDestroyed())
      .subscribe((mode) => this.applyContactMode(mode));
    this.form.controls.pipelineId.valueChanges
      .pipe(takeUntilDestroyed())
      .subscribe(() => this.form.controls.statusId.setValue(FIRST_STAGE));
    // The main pipeline is chosen at first (amoCRM's default), shown by its own name once the metadata is read.
    effect(() => {
      const main = this.mainPipelineId();
      if (main !== null && this.form.controls.pipelineId.value === null) {
        this.form.controls.pipelineId.setValue(main);
      }
    });
  }

  protected displayContact(contact: Contact | string | null): string {
    return typeof contact === 'object' && contact !== null ? contact.name : (contact ?? '');
  }

  protected addTag(event: MatChipInputEvent): void {
    const tag = event.value.trim();
    if (tag && !this.tags().includes(tag)) {
      this.tags.update((tags) => [...tags, tag]);
    }
    event.chipInput.clear();
  }

  protected removeTag(tag: string): void {
    this.tags.update((tags) => tags.filter((t) => t !== tag));
  }

  protected submit(): void {
    if (this.submitting()) {
      return;
    }
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.failure.set(null);
    this.submitting.set(true);
    this.api
      .create(this.request())
      .pipe(finalize(() => this.submitting.set(false)))
      .subscribe({
        next: (lead) => this.dialogRef.close(lead),
        error: (error: unknown) => {
          if (!applyProblemWithPhones(this.form, error, ['contact.phone'])) {
            this.failure.set(error);
          }
        },
      });
  }

  private request(): CreateLeadRequest {
    const value = this.form.getRawValue();
    const request: CreateLeadRequest = { name: value.name.trim() };
    if (value.contactMode === 'existing' && typeof value.contactSearch === 'object' && value.contactSearch) {
      request.contactId = value.contactSearch.id;
    } else if (value.contactMode === 'new') {
      const { name, phone, email } = value.contact;
      request.contact = {
        name: name.trim(),
        ...(phone.trim() ? { phone: phone.trim() } : {}),
        ...(email.trim() ? { email: email.trim() } : {}),
      };
    }
    // the main pipeline and its first stage are what the server uses when none is given
    if (value.pipelineId !== null && value.pipelineId !== this.mainPipelineId()) {
      request.pipelineId = value.pipelineId;
    }
    if (value.statusId !== FIRST_STAGE) {
      if (value.pipelineId !== null) {
        request.pipelineId = value.pipelineId;
      }
      request.statusId = value.statusId;
    }
    if (value.price !== null) {
      request.price = value.price;
    }
    if (this.tags().length > 0) {
      request.tags = [...this.tags()];
    }
    return request;
  }

  /** Only the fields of the chosen way to give a contact are checked and sent. */
  private applyContactMode(mode: ContactMode): void {
    const { contactSearch, contact } = this.form.controls;
    if (mode === 'existing') {
      contactSearch.enable({ emitEvent: false });
    } else {
      contactSearch.disable({ emitEvent: false });
    }
    if (mode === 'new') {
      contact.enable({ emitEvent: false });
    } else {
      contact.disable({ emitEvent: false });
    }
  }
}
