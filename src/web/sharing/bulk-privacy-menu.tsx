import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useRef } from 'react';
import { useTakeOverFocus, type OnDemandMenuProps } from '../components/ui/on-demand-menu';
import { useToast } from '../components/ui/toast';
import { useSharingActions } from './api';

/** The selection's "Privacy" menu: make every selected file private, or public. Folders are left as they are. */
export interface BulkPrivacyMenuProps {
  fileIds: readonly string[];
}

export function BulkPrivacyMenu(props: BulkPrivacyMenuProps & OnDemandMenuProps) {
  const { fileIds } = props;
  const trigger = useRef<HTMLButtonElement>(null);
  useTakeOverFocus(trigger, props);
  const actions = useSharingActions();
  const toast = useToast();
  const set = async (isPrivate: boolean) => {
    const word = isPrivate ? 'private' : 'public';
    try {
      const updated = await actions.setPrivate(fileIds, isPrivate);
      const unchanged = fileIds.length - updated;
      toast({
        title: `${updated} file${updated === 1 ? '' : 's'} made ${word}`,
        description: unchanged > 0 ? `${unchanged} already ${unchanged === 1 ? 'was' : 'were'}.` : undefined,
      });
    } catch (error) {
      toast({
        title: `Could not make the files ${word}`,
        description: error instanceof Error ? error.message : undefined,
        variant: 'error',
      });
    }
  };
  return (
    <DropdownMenu.Root defaultOpen={props.defaultOpen}>
      <DropdownMenu.Trigger
        ref={trigger}
        className="button button--secondary"
        disabled={fileIds.length === 0}
      >
        Privacy <span aria-hidden="true">▾</span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="start" sideOffset={4}>
          <DropdownMenu.Item className="menu__item" onSelect={() => void set(true)}>
            Make private
          </DropdownMenu.Item>
          <DropdownMenu.Item className="menu__item" onSelect={() => void set(false)}>
            Make public
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
