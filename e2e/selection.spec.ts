import { type Page } from '@playwright/test';
import { createFolder, expect, itemCell, itemGrid, itemNames, test, uploadFile } from './fixtures';

const NAMES = ['a.txt', 'b.txt', 'c.txt', 'd.txt', 'e.txt', 'f.txt'];

/** The names of the selected items, in display order. */
async function selectedNames(page: Page): Promise<string[]> {
  return itemGrid(page)
    .locator('[role="gridcell"][aria-selected="true"]')
    .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('aria-label') ?? ''));
}

async function expectSelected(page: Page, names: string[]): Promise<void> {
  await expect.poll(() => selectedNames(page)).toEqual(names);
  const bar = page.getByRole('region', { name: 'Selection' });
  if (names.length === 0) await expect(bar).toHaveCount(0);
  else await expect(bar).toContainText(`${names.length} selected`);
}

test.describe('selection', () => {
  let ids: Record<string, string>;

  test.beforeEach(async ({ api, workspace }) => {
    ids = {};
    // Uploaded in reverse so that the name order is not the upload order.
    for (const name of [...NAMES].reverse()) {
      const file = await uploadFile(api, {
        fileName: name,
        mimeType: 'text/plain',
        data: name,
        parentFolderId: workspace.id,
      });
      ids[name] = file.id;
    }
  });

  test('a click made while a linked item is still loading is kept', async ({
    signedInPage: page,
    api,
    workspace,
  }) => {
    await createFolder(api, 'Album', workspace.id);
    // The folders come first and the files page after them: hold the files so the owner can click Album before
    // the linked a.txt arrives.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(
      (url) =>
        url.pathname === '/site-media/v1/files' && url.searchParams.get('parentFolderId') === workspace.id,
      async (route) => {
        await held;
        await route.continue();
      },
    );
    await page.goto(`/files/${workspace.id}?sort=name&order=asc&item=file:${ids['a.txt']}`);
    // The details column is open already (for a.txt, fetched by id), so the click does not reflow the grid.
    await expect(page.getByRole('complementary', { name: 'Details of a.txt' })).toBeVisible();
    const album = itemCell(page, 'Album');
    await album.click();
    await expect(album).toHaveAttribute('aria-selected', 'true');
    release();
    await expect.poll(() => itemNames(page)).toEqual(['Album', ...NAMES]);
    await expectSelected(page, ['Album']);
    await expect(page.getByRole('complementary', { name: 'Details of Album' })).toBeVisible();
  });

  test('click, Ctrl-click, Shift-click ranges, Ctrl+A and Esc', async ({ signedInPage: page, workspace }) => {
    // The details panel is open from the start.
    await page.goto(`/files/${workspace.id}?sort=name&order=asc&item=file:${ids['a.txt']}`);
    await expect.poll(() => itemNames(page)).toEqual(NAMES);
    // A link to an item selects it (back-navigation.spec.ts), as a click would.
    await expectSelected(page, ['a.txt']);

    // A click selects just that item, and focuses it.
    await itemCell(page, 'c.txt').click();
    await expectSelected(page, ['c.txt']);
    await expect(itemCell(page, 'c.txt')).toBeFocused();
    await expect(page.getByRole('complementary', { name: 'Details of c.txt' })).toBeVisible();

    // Ctrl-click adds one item; it becomes the anchor (it was clicked without Shift).
    await itemCell(page, 'e.txt').click({ modifiers: ['ControlOrMeta'] });
    await expectSelected(page, ['c.txt', 'e.txt']);
    await expect(itemCell(page, 'e.txt')).toBeFocused();

    // Shift-click selects the range from the anchor (e), replacing the selection.
    await itemCell(page, 'a.txt').click({ modifiers: ['Shift'] });
    await expectSelected(page, ['a.txt', 'b.txt', 'c.txt', 'd.txt', 'e.txt']);

    // A Shift-click does not move the anchor: the next range still starts at e.
    await itemCell(page, 'f.txt').click({ modifiers: ['Shift'] });
    await expectSelected(page, ['e.txt', 'f.txt']);

    // A plain click moves the anchor.
    await itemCell(page, 'b.txt').click();
    await expectSelected(page, ['b.txt']);
    await itemCell(page, 'd.txt').click({ modifiers: ['Shift'] });
    await expectSelected(page, ['b.txt', 'c.txt', 'd.txt']);

    // Ctrl-click takes one item out again.
    await itemCell(page, 'c.txt').click({ modifiers: ['ControlOrMeta'] });
    await expectSelected(page, ['b.txt', 'd.txt']);

    // Ctrl+A selects everything, Esc nothing.
    await page.keyboard.press('ControlOrMeta+a');
    await expectSelected(page, NAMES);
    await expect(itemCell(page, 'c.txt')).toBeFocused();
    await page.keyboard.press('Escape');
    await expectSelected(page, []);
    await expect(itemCell(page, 'c.txt')).toBeFocused();

    // The bar's Clear button clears as well.
    await itemCell(page, 'a.txt').click();
    await itemCell(page, 'b.txt').click({ modifiers: ['ControlOrMeta'] });
    await expectSelected(page, ['a.txt', 'b.txt']);
    await page.getByRole('region', { name: 'Selection' }).getByRole('button', { name: 'Clear' }).click();
    await expectSelected(page, []);
  });

  test('arrow keys move the focus and Space selects, keeping the focus on the item', async ({
    signedInPage: page,
    workspace,
  }) => {
    await page.goto(`/files/${workspace.id}?sort=name&order=asc&item=file:${ids['a.txt']}`);
    await expect.poll(() => itemNames(page)).toEqual(NAMES);

    await itemCell(page, 'b.txt').click();
    await page.keyboard.press('Escape');
    await expectSelected(page, []);
    await expect(itemCell(page, 'b.txt')).toBeFocused();

    // Right and Left move by one item; the details follow the focus.
    await page.keyboard.press('ArrowRight');
    await expect(itemCell(page, 'c.txt')).toBeFocused();
    await expect(page.getByRole('complementary', { name: 'Details of c.txt' })).toBeVisible();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect(itemCell(page, 'a.txt')).toBeFocused();
    // Left at the first item stays there.
    await page.keyboard.press('ArrowLeft');
    await expect(itemCell(page, 'a.txt')).toBeFocused();
    await expectSelected(page, []);

    // Space toggles the focused item and the focus stays on it, in the grid.
    await page.keyboard.press('Space');
    await expectSelected(page, ['a.txt']);
    await expect(itemCell(page, 'a.txt')).toBeFocused();

    // Down moves by a row (as many items as there are columns).
    const columns = Number(await itemGrid(page).getAttribute('aria-colcount'));
    expect(columns).toBeGreaterThan(1);
    await page.keyboard.press('ArrowDown');
    const below = NAMES[Math.min(columns, NAMES.length - 1)]!;
    await expect(itemCell(page, below)).toBeFocused();
    await page.keyboard.press('Space');
    await expectSelected(page, ['a.txt', below].sort());
    await expect(itemCell(page, below)).toBeFocused();

    // End and Home go to the last and first items.
    await page.keyboard.press('End');
    await expect(itemCell(page, 'f.txt')).toBeFocused();
    await page.keyboard.press(' ');
    await expectSelected(page, [...new Set(['a.txt', below, 'f.txt'])].sort());
    await page.keyboard.press('Home');
    await expect(itemCell(page, 'a.txt')).toBeFocused();

    // Space again unselects.
    await page.keyboard.press('Space');
    await expectSelected(page, [...new Set([below, 'f.txt'])].sort());
    await expect(itemCell(page, 'a.txt')).toBeFocused();

    // Shift+Right extends a range from the anchor (the item last toggled with Space).
    await page.keyboard.press('Shift+ArrowRight');
    await expect(itemCell(page, 'b.txt')).toBeFocused();
    await expectSelected(page, ['a.txt', 'b.txt']);

    // Tab leaves the grid; Shift+Tab comes back to the item that had the focus.
    await page.keyboard.press('Shift+Tab');
    await expect(itemCell(page, 'b.txt')).not.toBeFocused();
    await page.keyboard.press('Tab');
    await expect(itemCell(page, 'b.txt')).toBeFocused();
    await expect(itemGrid(page).locator('[role="gridcell"][tabindex="0"]')).toHaveCount(1);

    // `?` shows the keyboard shortcuts; Esc closes them.
    await page.keyboard.press('?');
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(sheet).toBeVisible();
    await expect(sheet.getByRole('term')).toContainText(['Arrow keys', 'Space', 'Ctrl/⌘ + A', 'Esc']);
    await page.keyboard.press('Escape');
    await expect(sheet).toBeHidden();
    // The sheet's Esc did not clear the selection. (Where the focus goes is the fixme test below.)
    await expectSelected(page, ['a.txt', 'b.txt']);
  });

  test('a click on a tile selects it when no details are open yet', async ({
    signedInPage: page,
    workspace,
  }) => {
    // Regression: the mouse-down focuses the tile; that once opened the details panel, the tiles reflowed and
    // the mouse-up landed elsewhere, so a first click at a human pace selected nothing.
    await page.goto(`/files/${workspace.id}?sort=name&order=asc`);
    await expect.poll(() => itemNames(page)).toEqual(NAMES);
    // At a human pace: 100 ms between pressing and releasing the button.
    await itemCell(page, 'd.txt').click({ delay: 100 });
    await expectSelected(page, ['d.txt']);
    await expect(page.getByRole('complementary', { name: 'Details of d.txt' })).toBeVisible();
  });

  test('closing a dialog opened from the grid puts the focus back on the item', async ({
    signedInPage: page,
    workspace,
  }) => {
    // Dialogs here are opened from state, not from a Radix `Dialog.Trigger`, so Radix alone would drop the focus
    // on <body> when they close; a keyboard user would have to Tab back into the grid (useReturnFocus).
    await page.goto(`/files/${workspace.id}?sort=name&order=asc&item=file:${ids['a.txt']}`);
    await itemCell(page, 'b.txt').click();
    await expect(itemCell(page, 'b.txt')).toBeFocused();

    await page.keyboard.press('F2');
    const rename = page.getByRole('dialog', { name: 'Rename file' });
    await expect(rename).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(rename).toBeHidden();
    await expect(itemCell(page, 'b.txt')).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(itemCell(page, 'c.txt')).toBeFocused();

    // Delete acts on the selection (b.txt); with nothing selected, on the focused item.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Delete');
    const confirm = page.getByRole('alertdialog', { name: 'Move “c.txt” to the trash?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toBeHidden();
    await expect(itemCell(page, 'c.txt')).toBeFocused();

    await page.keyboard.press('?');
    await page
      .getByRole('dialog', { name: 'Keyboard shortcuts' })
      .getByRole('button', { name: 'Close' })
      .click();
    await expect(itemCell(page, 'c.txt')).toBeFocused();
  });
});
