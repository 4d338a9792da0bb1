import { useCallback } from 'react';
import { useToast } from '../components/ui/toast';
import type { Area } from '../folders/paths';
import { usePrivateUploads } from '../sharing';
import { useUpload } from '../uploads/uploader-context';
import type { ItemActions } from './api/mutations';
import { fileNamesIn, namesLike, renamedMessage, uniqueName } from './unique-names';

const pad = (n: number) => String(n).padStart(2, '0');

/** `Pasted image 2026-12-06 at 09.14.03.png`: the browser names every pasted picture `image.png`. */
export function pastedImageName(type: string, when: Date): string {
  const extension = type.split('/')[1]?.replace('jpeg', 'jpg').replace(/\+.*$/, '') || 'png';
  const date = `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}`;
  const time = `${pad(when.getHours())}.${pad(when.getMinutes())}.${pad(when.getSeconds())}`;
  return `Pasted image ${date} at ${time}.${extension}`;
}

/** A pasted screenshot (not a copied file, which keeps its own name) gets a name that says when it was taken. */
export function namePasted(files: readonly File[], when = new Date()): File[] {
  return files.map((file) =>
    /^image\.\w+$/.test(file.name) && file.type.startsWith('image/')
      ? new File([file], pastedImageName(file.type, when), {
          type: file.type,
          lastModified: file.lastModified,
        })
      : file,
  );
}

/** Files that came with a folder structure (a dropped directory) keep their names: their folders are new. */
function inSubfolder(file: File): boolean {
  const relative = (file as File & { path?: string; relativePath?: string }).relativePath ?? '';
  const path = (file as File & { path?: string }).path ?? '';
  return [relative, path, file.webkitRelativePath].some((p) => p.replace(/^\.?\/+/, '').includes('/'));
}

/**
 * Upload into a folder, and create folders in it, keeping an existing item's name apart: a second "Photos" is
 * created as "Photos (2)", a second "flyer.jpg" uploaded as "flyer (2).jpg", and a toast says so.
 */
export function useUploadHere(area: Area, folderId: string, folderName: string, actions: ItemActions) {
  const toast = useToast();
  const upload = useUpload();
  const privateUploads = usePrivateUploads();

  const uploadHere = useCallback(
    async (incoming: readonly File[]) => {
      const renamed: [string, string][] = [];
      const files: File[] = [];
      const chosen = new Set<string>();
      // A few files: a search each; a batch: one listing of the folder.
      const all = incoming.length > 5 ? await fileNamesIn(folderId).catch(() => new Set<string>()) : null;
      for (const file of incoming) {
        if (inSubfolder(file)) {
          files.push(file);
          continue;
        }
        let taken: Set<string>;
        try {
          taken = all ?? (await namesLike(area, folderId, file.name, 'file'));
        } catch {
          // The look-up failed: upload under the given name rather than not at all.
          taken = new Set();
        }
        const name = uniqueName(file.name, 'file', new Set([...taken, ...chosen]));
        chosen.add(name);
        if (name === file.name) {
          files.push(file);
        } else {
          renamed.push([file.name, name]);
          files.push(new File([file], name, { type: file.type, lastModified: file.lastModified }));
        }
      }
      const count = upload(files, { parentFolderId: folderId, private: privateUploads });
      const [first] = renamed;
      if (renamed.length === 1 && first) toast({ title: renamedMessage('file', first[0], first[1]) });
      else if (renamed.length > 1)
        toast({ title: `${renamed.length} files had names already used here — “(2)” and so on was added` });
      else if (count > 0) {
        const what = `${count}${privateUploads ? ' private' : ''} file${count > 1 ? 's' : ''}`;
        toast({ title: `Uploading ${what} to ${folderName}` });
      }
    },
    [upload, area, folderId, folderName, toast, privateUploads],
  );

  const createFolder = useCallback(
    async (given: string) => {
      const taken = await namesLike(area, folderId, given, 'folder');
      const name = uniqueName(given, 'folder', taken);
      const folder = await actions.createFolder(folderId, name);
      toast({
        title:
          name === given
            ? `Created folder “${folder.displayName}”`
            : renamedMessage('folder', given, folder.displayName),
      });
    },
    [actions, area, folderId, toast],
  );

  return { uploadHere, createFolder };
}
