import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useRef } from 'react';
import type { ChoiceMenuProps } from './menu';
import { useTakeOverFocus, type OnDemandMenuProps } from './on-demand-menu';

/** The Radix menu behind `ChoiceMenu` (./menu), loaded on demand. */
export function RadixChoiceMenu<V extends string>(props: ChoiceMenuProps<V> & OnDemandMenuProps) {
  const { label, ariaLabel, groups } = props;
  const trigger = useRef<HTMLButtonElement>(null);
  useTakeOverFocus(trigger, props);
  return (
    <DropdownMenu.Root defaultOpen={props.defaultOpen}>
      <DropdownMenu.Trigger ref={trigger} className="button button--secondary" aria-label={ariaLabel}>
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
