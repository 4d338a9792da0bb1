import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useToast } from '../components/ui/toast';
import { useSharingActions } from './api';

/** The selection's "Privacy" menu: make every selected file private, or public. Folders are left as they are. */
export function BulkPrivacyMenu({ fileIds }: { fileIds: readonly string[] }) {
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
    <DropdownMenu.Root>
      <DropdownMenu.Trigger className="button button--secondary" disabled={fileIds.length === 0}>
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
