import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import type { FileDescriptor } from '../../contract';
import { useToast } from '../components/ui/toast';
import { downloadAsset, renditionsOf } from './api/previews';

/** Download of one file: the original, or one of the renditions processing made. */
export function DownloadMenu({ file }: { file: FileDescriptor }) {
  const toast = useToast();
  const renditions = renditionsOf(file);
  const download = (assetKey: string) =>
    downloadAsset(file.id, assetKey).catch((error: unknown) =>
      toast({
        title: 'Could not download',
        description: error instanceof Error ? error.message : undefined,
        variant: 'error',
      }),
    );
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger className="button button--secondary" aria-label={`Download ${file.displayName}`}>
        Download <span aria-hidden="true">▾</span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="end" sideOffset={4}>
          <DropdownMenu.Item className="menu__item" onSelect={() => void download('src')}>
            Original
          </DropdownMenu.Item>
          {renditions.length > 0 ? <DropdownMenu.Separator className="menu__separator" /> : null}
          {renditions.map((rendition) => (
            <DropdownMenu.Item
              key={rendition.assetKey}
              className="menu__item"
              onSelect={() => void download(rendition.assetKey)}
            >
              {rendition.label}
            </DropdownMenu.Item>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
