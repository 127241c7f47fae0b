// Follows a server-sent-events stream of routing's live updates. fetch, not EventSource, so
// that the credentials go in a header (EventSource cannot send one, and a token in a URL ends
// up in logs). The stream is reopened after a drop, with a growing pause.
import { sleep } from './api.js';

export function follow(url, headers, onEvent, onState = () => {}) {
  let stopped = false;
  let controller = null;
  (async () => {
    let pause = 500;
    while (!stopped) {
      controller = new AbortController();
      try {
        const response = await fetch(url, {
          headers: { ...headers, accept: 'text/event-stream' },
          signal: controller.signal,
          cache: 'no-store',
        });
        if (!response.ok) {
          const error = new Error(`live updates at ${url} answered ${response.status}`);
          error.status = response.status;
          throw error;
        }
        onState('open');
        pause = 500;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) {
            break;
          }
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            dispatch(buffer.slice(0, end), onEvent);
            buffer = buffer.slice(end + 2);
          }
        }
      } catch (e) {
        if (stopped) {
          return;
        }
        if (e.status === 401 || e.status === 403) {
          onState('refused', e);
          return;
        }
      }
      onState('reconnecting');
      await sleep(pause);
      pause = Math.min(pause * 2, 5000);
    }
  })();
  return {
    stop() {
      stopped = true;
      if (controller) {
        controller.abort();
      }
    },
  };
}

function dispatch(block, onEvent) {
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event: ')) {
      name = line.slice(7);
    } else if (line.startsWith('data: ')) {
      data.push(line.slice(6));
    }
  }
  if (data.length) {
    onEvent(name, JSON.parse(data.join('\n')));
  }
}
