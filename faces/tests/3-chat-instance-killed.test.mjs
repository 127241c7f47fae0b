// A chat instance dies mid-conversation: both pages reconnect to the other instance, resume
// after their last seq, and the conversation goes on with nothing lost (a text typed while the
// connection was down is sent again with its clientMsgId and stored once).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { REGION, RUN_DIR, browser, eventually, say, sessionIds, setStatus, shot, signIn, startChat,
  waitForText } from './support.mjs';

let b;
before(async () => { b = await browser(); });
after(async () => { await b.close(); });

test('the chat instance both pages use is killed and the conversation goes on', { skip: !RUN_DIR }, async () => {
  const agent = await signIn(b.context, `a-kill-${Date.now()}`, { languages: 'es', capacity: 25 });
  const widget = await startChat(b.context, 'Eva', 'es');
  await eventually(async () => (await sessionIds(agent)).length === 1, 'the session on the console');
  await agent.getByRole('list', { name: 'Sessions' }).getByRole('listitem').getByRole('button').click();
  await say(widget, 'before the crash');
  await waitForText(agent.getByRole('log'), 'before the crash');

  // Both pages start on the first chat instance; kill it without warning.
  const pid = Number((await readFile(join(RUN_DIR, `${REGION}-chat.pid`), 'utf8')).trim());
  process.kill(pid, 'SIGKILL');

  await say(widget, 'during the failover');
  await waitForText(agent.getByRole('log'), 'during the failover');
  await say(agent, 'still here');
  await waitForText(widget.getByRole('log'), 'still here');
  await waitForText(widget.locator('.msg.mine .status'), 'read');
  const texts = await widget.locator('.msg p').allTextContents();
  assert.deepEqual(texts, ['before the crash', 'during the failover', 'still here']);
  await shot(widget, '20-after-chat-instance-killed');
  // Closed, so that going offline re-queues nothing for the next test.
  await agent.getByRole('button', { name: 'Close session' }).click();
  await agent.getByRole('button', { name: 'Resolved', exact: true }).click();
  await waitForText(widget.getByRole('group', { name: 'Rate this chat' }), '5');
  await setStatus(agent, 'Offline');
});
