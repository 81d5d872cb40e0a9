import { ApplicationRef, type Provider } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';

/** Material without animations: dialogs, menus and snack bars open and close at once. */
export function provideNoMaterialAnimations(): Provider {
  return { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } };
}

/** Waits until the app (including dialogs and menus in the overlay) has settled. */
export async function settle(): Promise<void> {
  await TestBed.inject(ApplicationRef).whenStable();
}

/** An element in the CDK overlay (dialogs, menus, snack bars) by `data-testid` (throws if missing). */
export function overlayTestId(id: string): HTMLElement {
  const element = document.querySelector<HTMLElement>(`.cdk-overlay-container [data-testid="${id}"]`);
  if (!element) {
    throw new Error(`No overlay element with data-testid="${id}"`);
  }
  return element;
}

export function queryOverlayTestId(id: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`.cdk-overlay-container [data-testid="${id}"]`);
}

/** The text of the snack bar currently shown. */
export function snackBarText(): string {
  return (document.querySelector('mat-snack-bar-container')?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Removes what overlays a test left behind (call in `afterEach`). */
export function clearOverlays(): void {
  document.querySelectorAll('.cdk-overlay-container').forEach((element) => element.remove());
}
