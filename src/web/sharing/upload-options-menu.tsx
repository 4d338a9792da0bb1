import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useRef } from 'react';
import { useTakeOverFocus, type OnDemandMenuProps } from '../components/ui/on-demand-menu';
import { setPrivateUploads, usePrivateUploads } from './private-uploads';

export interface UploadOptionsMenuProps {
  disabled?: boolean;
}

/** The upload options beside Upload: "Upload as private" for the files uploaded from now on. */
export function UploadOptionsMenu(props: UploadOptionsMenuProps & OnDemandMenuProps) {
  const { disabled } = props;
  const privateUploads = usePrivateUploads();
  const trigger = useRef<HTMLButtonElement>(null);
  useTakeOverFocus(trigger, props);
  return (
    <DropdownMenu.Root defaultOpen={props.defaultOpen}>
      <DropdownMenu.Trigger
        ref={trigger}
        className={`button button--secondary upload-options${privateUploads ? ' upload-options--private' : ''}`}
        // No "Upload" in its name: the Upload button beside it keeps the only one (specs and screen-reader users
        // find it by that name).
        aria-label={privateUploads ? 'New files: private' : 'New files: public'}
        title="Privacy of new uploads"
        disabled={disabled}
      >
        {privateUploads ? <span className="upload-options__badge">Private</span> : null}
        <span aria-hidden="true">▾</span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="end" sideOffset={4}>
          <DropdownMenu.CheckboxItem
            className="menu__item"
            checked={privateUploads}
            onCheckedChange={(checked) => setPrivateUploads(checked)}
          >
            <DropdownMenu.ItemIndicator className="menu__check">✓</DropdownMenu.ItemIndicator>
            Upload as private
          </DropdownMenu.CheckboxItem>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
