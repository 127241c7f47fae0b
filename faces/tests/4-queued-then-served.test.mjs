// Nobody is free: the widget shows the place in line (pushed by routing's watches), then the
// assignment as soon as an agent signs in; the customer ends the chat and rates it.
import { after, before, test } from 'node:test';
import { browser, eventually, sessionIds, setStatus, shot, signIn, startChat, waitForText } from './support.mjs';

let b;
before(async () => { b = await browser(); });
after(async () => { await b.close(); });

test('a queued customer sees its place in line, then its agent, then ends and rates the chat', async () => {
  // The earlier tests' Spanish-speaking agent went offline: nobody can take this session yet.
  const widget = await startChat(b.context, 'Quinn', 'es', { width: 390, height: 780 });
  await waitForText(widget.getByRole('status'), /You are number \d+ in line/);
  await shot(widget, '30-widget-queued');

  const agent = await signIn(b.context, `a-late-${Date.now()}`, { languages: 'es', capacity: 25 });
  await waitForText(widget.getByRole('status'), 'An agent is with you');
  await eventually(async () => (await sessionIds(agent)).length === 1, 'the session on the console');

  await widget.getByRole('button', { name: 'End chat' }).click();
  const rating = widget.getByRole('group', { name: 'Rate this chat' });
  await rating.getByRole('button', { name: '5', exact: true }).click();
  await waitForText(widget.getByRole('status'), 'You rated this chat 5 out of 5');
  await eventually(async () => (await sessionIds(agent)).length === 0, 'the ended session leaving the console');
  await shot(widget, '31-widget-ended-and-rated');
  await setStatus(agent, 'Offline');
});
