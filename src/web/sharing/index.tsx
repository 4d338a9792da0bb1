// Privacy and sharing: what other features embed.
import { onDemandMenu } from '../components/ui/on-demand-menu';
import type { BulkPrivacyMenuProps } from './bulk-privacy-menu';
import { privateUploadsNow } from './private-uploads';
import type { UploadOptionsMenuProps } from './upload-options-menu';

export { setPrivateUploads, usePrivateUploads } from './private-uploads';

// Both menus are in Site Files' toolbar, so on its first screen: Radix's menu code loads when idle or when
// pressed, with a stand-in button of the same look until then (see onDemandMenu).
export const UploadOptionsMenu = onDemandMenu<UploadOptionsMenuProps>(
  async () => (await import('./upload-options-menu')).UploadOptionsMenu,
  ({ disabled }) => {
    const privateUploads = privateUploadsNow();
    return {
      className: `button button--secondary upload-options${privateUploads ? ' upload-options--private' : ''}`,
      ariaLabel: privateUploads ? 'New files: private' : 'New files: public',
      disabled,
      children: (
        <>
          {privateUploads ? <span className="upload-options__badge">Private</span> : null}
          <span aria-hidden="true">▾</span>
        </>
      ),
    };
  },
);

export const BulkPrivacyMenu = onDemandMenu<BulkPrivacyMenuProps>(
  async () => (await import('./bulk-privacy-menu')).BulkPrivacyMenu,
  ({ fileIds }) => ({
    className: 'button button--secondary',
    ariaLabel: 'Privacy',
    disabled: fileIds.length === 0,
    children: (
      <>
        Privacy <span aria-hidden="true">▾</span>
      </>
    ),
  }),
);
