import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CreatedAt, UpdatedAt, newId } from '../database/columns';

/** A team's isolated space: every business object belongs to exactly one workspace. */
@Entity('workspaces')
export class WorkspaceEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string = newId();

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ name: 'is_default', type: 'boolean', default: false })
  isDefault!: boolean;

  @CreatedAt()
  createdAt!: Date;

  @UpdatedAt()
  updatedAt!: Date;
}
