import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatIconButton, MatButton } from '@angular/material/button';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatOption, MatSelect } from '@angular/material/select';

import { TranslatePipe } from '../core/i18n/translate.pipe';
import { newTransform } from './mapping-catalog';
import { type PlacedMessage, messagesAt } from './mapping-problems';
import {
  type CatalogOption,
  type EnumMapRow,
  type MappingTransform,
  TRANSFORM_TYPES,
  type TransformType,
} from './mappings.models';

/**
 * The transform of one mapping line: its kind (none, trim, phone, lowercase, number, date format,
 * value map, constant, template) and the kind's parameters. `path` is the transform's place in the
 * document (`lines[2].transform`): messages about it are shown beside the parameter they name.
 */
@Component({
  selector: 'app-transform-editor',
  imports: [
    MatFormField,
    MatLabel,
    MatInput,
    MatSelect,
    MatOption,
    MatButton,
    MatIconButton,
    MatIcon,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './transform-editor.html',
  styleUrl: './transform-editor.scss',
})
export class TransformEditor {
  readonly transform = input.required<MappingTransform>();
  /** The choices of the target field (amoCRM enum ids or LPTracker option texts), for the value map. */
  readonly targetOptions = input<readonly CatalogOption[]>([]);
  readonly disabled = input(false);
  readonly path = input.required<string>();
  readonly messages = input<readonly PlacedMessage[]>([]);
  readonly testId = input.required<string>();
  readonly changed = output<MappingTransform>();

  protected readonly types = TRANSFORM_TYPES;
  protected readonly mapRows = computed(() => {
    const transform = this.transform();
    return transform.type === 'enum_map' ? transform.map : [];
  });

  /** The messages about one row of the value map (`map[1].to`…). */
  protected rowMessage(index: number): string | null {
    return messagesAt(this.messages(), `${this.path()}.map[${index}]`)[0]?.text ?? null;
  }

  /** The messages about the transform that name no row of the value map: shown under the parameters. */
  protected readonly ownMessages = computed(() =>
    this.messages().filter((message) => !/^\.map\[\d+\]/.test(message.path.slice(this.path().length))),
  );

  protected setType(type: TransformType): void {
    this.changed.emit(newTransform(type));
  }

  protected setText(field: 'format' | 'template', value: string): void {
    const transform = this.transform();
    if (field === 'format' && transform.type === 'date') {
      this.changed.emit({ ...transform, format: value });
    } else if (field === 'template' && transform.type === 'template') {
      this.changed.emit({ ...transform, template: value });
    }
  }

  protected setConstant(value: string): void {
    this.changed.emit({ type: 'constant', value });
  }

  protected constantText(): string {
    const transform = this.transform();
    return transform.type === 'constant' ? String(transform.value) : '';
  }

  protected textOf(field: 'format' | 'template'): string {
    const transform = this.transform();
    if (field === 'format') {
      return transform.type === 'date' ? transform.format : '';
    }
    return transform.type === 'template' ? transform.template : '';
  }

  protected addRow(): void {
    this.setRows([...this.mapRows(), { from: '', to: this.targetOptions()[0]?.id ?? '' }]);
  }

  protected removeRow(index: number): void {
    this.setRows(this.mapRows().filter((_, at) => at !== index));
  }

  protected setRow(index: number, change: Partial<EnumMapRow>): void {
    this.setRows(this.mapRows().map((row, at) => (at === index ? { ...row, ...change } : row)));
  }

  private setRows(map: EnumMapRow[]): void {
    this.changed.emit({ type: 'enum_map', map });
  }
}
