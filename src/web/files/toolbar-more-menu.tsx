import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useRef } from 'react';
import type { MediaType } from '../../contract';
import { useTakeOverFocus, type OnDemandMenuProps } from '../components/ui/on-demand-menu';
import type { SortKey, SortOrder } from './api/items';
import { MEDIA_TYPE_LABELS } from './media-labels';
import { defaultOrder, FILTERABLE_TYPES, type ViewMode } from './view-state';

export interface MoreMenuProps {
  sort: SortKey;
  order: SortOrder;
  type: MediaType | null;
  view: ViewMode;
  detailsOpen: boolean;
  /** Null in the trash and during a search (no folder to create into). */
  onNewFolder: (() => void) | null;
  onImport: (() => void) | null;
  onChange: (change: { sort?: SortKey; order?: SortOrder; type?: MediaType | null; view?: ViewMode }) => void;
  onDetails: (open: boolean) => void;
}

function Radio({ value, label }: { value: string; label: string }) {
  return (
    <DropdownMenu.RadioItem value={value} className="menu__item">
      <DropdownMenu.ItemIndicator className="menu__check">✓</DropdownMenu.ItemIndicator>
      {label}
    </DropdownMenu.RadioItem>
  );
}

/**
 * On a phone the toolbar is one row (search, Upload, this menu): sort, type filter, view, details, New folder
 * and Import move in here instead of wrapping over four rows. Hidden on wider screens by styles.css. Loaded on
 * demand (`LazyToolbarMoreMenu` in ./lazy-parts).
 */
export function ToolbarMoreMenu(props: MoreMenuProps & OnDemandMenuProps) {
  const trigger = useRef<HTMLButtonElement>(null);
  useTakeOverFocus(trigger, props);
  return (
    <DropdownMenu.Root defaultOpen={props.defaultOpen}>
      <DropdownMenu.Trigger
        ref={trigger}
        className="button button--secondary toolbar__more"
        aria-label="More actions"
      >
        <span aria-hidden="true">⋯</span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu menu--scroll" align="end" sideOffset={4}>
          {props.onNewFolder ? (
            <DropdownMenu.Item className="menu__item" onSelect={props.onNewFolder}>
              New folder
            </DropdownMenu.Item>
          ) : null}
          {props.onImport ? (
            <DropdownMenu.Item className="menu__item" onSelect={props.onImport}>
              Import
            </DropdownMenu.Item>
          ) : null}
          {props.onNewFolder || props.onImport ? (
            <DropdownMenu.Separator className="menu__separator" />
          ) : null}
          <DropdownMenu.CheckboxItem
            className="menu__item"
            checked={props.detailsOpen}
            onCheckedChange={(checked) => props.onDetails(checked)}
          >
            <DropdownMenu.ItemIndicator className="menu__check">✓</DropdownMenu.ItemIndicator>
            Details
          </DropdownMenu.CheckboxItem>
          <DropdownMenu.Label className="menu__label">View</DropdownMenu.Label>
          <DropdownMenu.RadioGroup
            value={props.view}
            onValueChange={(view) => props.onChange({ view: view as ViewMode })}
          >
            <Radio value="grid" label="Grid" />
            <Radio value="list" label="List" />
          </DropdownMenu.RadioGroup>
          <DropdownMenu.Separator className="menu__separator" />
          <DropdownMenu.Label className="menu__label">Sort by</DropdownMenu.Label>
          <DropdownMenu.RadioGroup
            value={props.sort}
            onValueChange={(sort) =>
              props.onChange({ sort: sort as SortKey, order: defaultOrder(sort as SortKey) })
            }
          >
            <Radio value="name" label="Name" />
            <Radio value="updated" label="Last updated" />
            <Radio value="size" label="Size" />
          </DropdownMenu.RadioGroup>
          <DropdownMenu.RadioGroup
            value={props.order}
            onValueChange={(order) => props.onChange({ order: order as SortOrder })}
          >
            <Radio value="asc" label="Ascending" />
            <Radio value="desc" label="Descending" />
          </DropdownMenu.RadioGroup>
          <DropdownMenu.Separator className="menu__separator" />
          <DropdownMenu.Label className="menu__label">Type</DropdownMenu.Label>
          <DropdownMenu.RadioGroup
            value={props.type ?? 'ALL'}
            onValueChange={(type) => props.onChange({ type: type === 'ALL' ? null : (type as MediaType) })}
          >
            <Radio value="ALL" label="All types" />
            {FILTERABLE_TYPES.map((type) => (
              <Radio key={type} value={type} label={MEDIA_TYPE_LABELS[type]} />
            ))}
          </DropdownMenu.RadioGroup>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
