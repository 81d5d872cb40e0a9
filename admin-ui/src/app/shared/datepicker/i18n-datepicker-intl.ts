import { Injectable, effect, inject } from '@angular/core';
import { MatDatepickerIntl } from '@angular/material/datepicker';

import { I18nService } from '../../core/i18n/i18n.service';

/** Material datepicker labels (buttons, calendar), translated and updated on language change. */
@Injectable()
export class I18nDatepickerIntl extends MatDatepickerIntl {
  private readonly i18n = inject(I18nService);

  constructor() {
    super();
    effect(() => {
      const t = this.i18n.t.bind(this.i18n);
      this.calendarLabel = t('datepicker.calendar');
      this.openCalendarLabel = t('datepicker.open');
      this.closeCalendarLabel = t('datepicker.close');
      this.prevMonthLabel = t('datepicker.prevMonth');
      this.nextMonthLabel = t('datepicker.nextMonth');
      this.prevYearLabel = t('datepicker.prevYear');
      this.nextYearLabel = t('datepicker.nextYear');
      this.prevMultiYearLabel = t('datepicker.prevYears');
      this.nextMultiYearLabel = t('datepicker.nextYears');
      this.switchToMonthViewLabel = t('datepicker.chooseDate');
      this.switchToMultiYearViewLabel = t('datepicker.chooseYear');
      this.startDateLabel = t('datepicker.startDate');
      this.endDateLabel = t('datepicker.endDate');
      this.changes.next();
    });
  }
}
