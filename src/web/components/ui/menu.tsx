import type { ReactElement, ReactNode } from 'react';
import { onDemandMenu } from './on-demand-menu';

export interface MenuOption<V extends string> {
  value: V;
  label: string;
}

export interface ChoiceMenuProps<V extends string> {
  /** Accessible name and visible text of the trigger. */
  label: ReactNode;
  ariaLabel: string;
  groups: { label?: string; value: V; options: MenuOption<V>[]; onChange: (value: V) => void }[];
}

/**
 * A button that opens a menu of radio choices (sort field and order, type filter). The menu itself (Radix) loads
 * after the first screen; the button looks and answers the same meanwhile.
 */
export const ChoiceMenu = onDemandMenu<ChoiceMenuProps<string>>(
  async () => (await import('./choice-menu')).RadixChoiceMenu,
  ({ label, ariaLabel }) => ({
    className: 'button button--secondary',
    ariaLabel,
    children: (
      <>
        {label} <span aria-hidden="true">▾</span>
      </>
    ),
  }),
) as <V extends string>(props: ChoiceMenuProps<V>) => ReactElement;
