import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import type { ReactNode } from 'react';

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

/** A button that opens a menu of radio choices (sort field and order, type filter). */
export function ChoiceMenu<V extends string>({ label, ariaLabel, groups }: ChoiceMenuProps<V>) {
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger className="button button--secondary" aria-label={ariaLabel}>
        {label} <span aria-hidden="true">▾</span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="start" sideOffset={4}>
          {groups.map((group, index) => (
            <div key={group.label ?? index}>
              {index > 0 ? <DropdownMenu.Separator className="menu__separator" /> : null}
              {group.label ? (
                <DropdownMenu.Label className="menu__label">{group.label}</DropdownMenu.Label>
              ) : null}
              <DropdownMenu.RadioGroup value={group.value} onValueChange={(v) => group.onChange(v as V)}>
                {group.options.map((option) => (
                  <DropdownMenu.RadioItem key={option.value} value={option.value} className="menu__item">
                    <DropdownMenu.ItemIndicator className="menu__check">✓</DropdownMenu.ItemIndicator>
                    {option.label}
                  </DropdownMenu.RadioItem>
                ))}
              </DropdownMenu.RadioGroup>
            </div>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
