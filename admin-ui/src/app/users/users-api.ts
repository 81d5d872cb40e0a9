import { Injectable } from '@angular/core';
import type { Observable } from 'rxjs';

import { ApiClient } from '../core/api/api-client';
import type { CreateUserRequest, UpdateUserRequest, User } from './users.models';

/** `/api/v1/users` (admins only). */
@Injectable({ providedIn: 'root' })
export class UsersApi extends ApiClient {
  list(): Observable<User[]> {
    return this.get<User[]>('/users');
  }

  create(request: CreateUserRequest): Observable<User> {
    return this.post<User>('/users', request);
  }

  update(id: string, changes: UpdateUserRequest): Observable<User> {
    return this.patch<User>(`/users/${encodeURIComponent(id)}`, changes);
  }

  remove(id: string): Observable<void> {
    return this.delete(`/users/${encodeURIComponent(id)}`);
  }
}
