// The flow, end to end in the browser against the real platform: a customer starts a
// chat, an agent sees it and answers, the customer sees the answer and a read receipt, reloads
// mid-conversation and loses nothing, the agent closes it unresolved and sees the ticket with
// the transcript, the customer rates it (and ticketing counts the score with its channel).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, TICKETING, browser, eventually, say, sessionIds, setStatus, shot, signIn, startChat,
  waitForText } from './support.mjs';

let b;
before(async () => { b = await browser(); });
after(async () => { await b.close(); });

test('a customer and an agent chat, the ticket keeps the transcript, the customer rates', async () => {
  const agentId = `a-${Date.now()}`;
  const console = await signIn(b.context, agentId, { languages: 'en' });
  await shot(console, '01-console-signed-in');

  // The customer on a phone-sized screen, by keyboard only.
  const widget = await startChat(b.context, 'Lin', 'en', { width: 390, height: 780 });
  await waitForText(widget.getByRole('status'), /An agent is with you|in line/);
  await shot(widget, '02-widget-started');

  // The agent sees the session appear (pushed, not polled) and opens it.
  const [sessionId] = await eventually(async () => {
    const ids = await sessionIds(console);
    return ids.length === 1 ? ids : null;
  }, 'the session appearing on the console');
  const item = console.getByRole('listitem', { name: new RegExp(sessionId) });
  await item.getByRole('button').click();

  await say(widget, 'Hello, my invoice is wrong');
  await waitForText(console.getByRole('log'), 'Hello, my invoice is wrong');
  // The customer's message reaches "read" once the console shows it.
  await waitForText(widget.locator('.msg.mine .status'), 'read');

  await console.getByRole('button', { name: 'Let me check that for you, one moment please.' }).click();
  await console.getByRole('textbox', { name: 'Message' }).press('Enter');
  await waitForText(widget.getByRole('log'), 'Let me check that for you');
  await waitForText(console.locator('.msg.mine .status'), 'read');
  await shot(widget, '03-widget-answered');
  await shot(console, '04-console-chatting');

  // The page is narrow and nothing needs a sideways scroll.
  const overflow = await widget.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the widget is ${overflow}px wider than a 390px screen`);

  // A reload lands in the same conversation with nothing missing.
  const before = await widget.locator('.msg').allTextContents();
  await widget.reload();
  await waitForText(widget.getByRole('log'), 'Let me check that for you');
  await eventually(async () => (await widget.locator('.msg').count()) === before.length, 'the history after a reload');
  const afterReload = await widget.locator('.msg p').allTextContents();
  assert.deepEqual(afterReload, ['Hello, my invoice is wrong', 'Let me check that for you, one moment please.']);
  await shot(widget, '05-widget-reloaded');

  await say(widget, 'Thanks, I will wait');
  await waitForText(console.getByRole('log'), 'Thanks, I will wait');

  // The agent closes it unresolved and sees the ticket it became, with the transcript.
  await console.getByRole('button', { name: 'Close session' }).click();
  await console.getByRole('button', { name: 'Unresolved' }).click();
  const ticket = console.getByRole('region', { name: 'Ticket' });
  await waitForText(ticket, 'Thanks, I will wait');
  const transcript = await ticket.getByRole('listitem').allTextContents();
  assert.ok(transcript.some((l) => l.includes('Hello, my invoice is wrong')), transcript.join('\n'));
  assert.ok(transcript.some((l) => l.includes(`${agentId}: Let me check that for you`)), transcript.join('\n'));
  await eventually(async () => (await sessionIds(console)).length === 0, 'the closed session leaving the list');
  await shot(console, '06-console-ticket');

  // The customer rates the chat.
  const rating = widget.getByRole('group', { name: 'Rate this chat' });
  await rating.getByRole('button', { name: '4', exact: true }).click();
  await waitForText(widget.getByRole('status'), 'You rated this chat 4 out of 5');
  await shot(widget, '07-widget-rated');
  const metrics = await (await fetch(`${TICKETING}/q/metrics`, { headers: { accept: 'text/plain' } })).text();
  assert.match(metrics, /meshdesk_csat_score_count\{channel="web",[^}]*queue="chat",[^}]*\} 1\.0/);

  await setStatus(console, 'Offline');
  assert.ok(BASE);
});
