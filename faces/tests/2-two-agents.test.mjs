// Two agents at once, one chat each: each console lists only its own session, and each
// conversation stays between its own customer and agent.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { browser, eventually, say, sessionIds, setStatus, shot, signIn, startChat, waitForText } from './support.mjs';

let b;
before(async () => { b = await browser(); });
after(async () => { await b.close(); });

test('two agents each get one of two customers and chat side by side', async () => {
  const stamp = Date.now();
  // Capacity 25 is one chat; Chinese keeps the earlier tests' agents out of it.
  const first = await signIn(b.context, `a1-${stamp}`, { languages: 'zh', capacity: 25 });
  const second = await signIn(b.context, `a2-${stamp}`, { languages: 'zh', capacity: 25 });
  const ana = await startChat(b.context, 'Ana', 'zh');
  const bo = await startChat(b.context, 'Bo', 'zh');

  const [one] = await eventually(async () => {
    const ids = await sessionIds(first);
    return ids.length === 1 ? ids : null;
  }, 'a session on the first console');
  const [two] = await eventually(async () => {
    const ids = await sessionIds(second);
    return ids.length === 1 ? ids : null;
  }, 'a session on the second console');
  assert.notEqual(one, two, 'one session each');

  for (const console of [first, second]) {
    await console.getByRole('list', { name: 'Sessions' }).getByRole('listitem').getByRole('button').click();
  }
  await say(ana, 'from Ana');
  await say(bo, 'from Bo');
  // Whoever got Ana's session sees Ana's words and never Bo's.
  await eventually(async () => {
    const texts = [await first.getByRole('log').textContent(), await second.getByRole('log').textContent()];
    return texts.some((t) => t.includes('from Ana') && !t.includes('from Bo'))
      && texts.some((t) => t.includes('from Bo') && !t.includes('from Ana'));
  }, 'each conversation reaching its own agent');
  await say(first, 'answer one');
  await say(second, 'answer two');
  const heard = [await ana.getByRole('log').textContent(), await bo.getByRole('log').textContent()].join(' | ');
  await eventually(async () => {
    const a = await ana.getByRole('log').textContent();
    const o = await bo.getByRole('log').textContent();
    return (a.includes('answer one') ^ a.includes('answer two')) && (o.includes('answer one') ^ o.includes('answer two'))
      && a.includes('answer') && o.includes('answer');
  }, `each customer hearing only its agent (${heard})`);
  await shot(first, '10-two-agents-first');
  await shot(second, '11-two-agents-second');
  for (const console of [first, second]) {
    await console.getByRole('button', { name: 'Close session' }).click();
    await console.getByRole('button', { name: 'Resolved', exact: true }).click();
  }
  await waitForText(ana.getByRole('group', { name: 'Rate this chat' }), '5');
  await setStatus(first, 'Offline');
  await setStatus(second, 'Offline');
});
