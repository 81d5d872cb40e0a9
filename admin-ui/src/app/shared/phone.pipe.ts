import { Pipe, type PipeTransform } from '@angular/core';

import { formatPhone } from './phone';

/** `{{ contact.phone | phone }}` → `+7 916 123-45-67`. */
@Pipe({ name: 'phone' })
export class PhonePipe implements PipeTransform {
  transform(phone: string | null | undefined): string {
    return formatPhone(phone);
  }
}
