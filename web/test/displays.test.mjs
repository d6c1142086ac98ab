// The helper's "Select monitor": the `displays` control message is checked before the page
// shows it, and a choice goes back as `select_display` (docs/protocol.md, "Control channel").

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HelperPeer, MAX_DISPLAYS, displaysFrom } from '../lib/peer.js';

const good = {
  type: 'displays',
  displays: [
    { id: 'root', name: 'All displays', width: 3840, height: 1080, primary: false },
    { id: 'DP-1', name: ':0 DP-1', width: 1920, height: 1080, primary: true },
  ],
  current: 'DP-1',
  switchable: true,
};

test('a displays message is taken as sent', () => {
  assert.deepEqual(displaysFrom(good), {
    displays: good.displays, current: 'DP-1', switchable: true,
  });
});

test('hostile or broken displays messages are dropped, never thrown', () => {
  const d = good.displays[1];
  for (const bad of [
    null, 3, {}, { ...good, displays: 'x' }, { ...good, switchable: 'yes' },
    { ...good, current: 'HDMI-9' }, // current must be listed
    { ...good, displays: [{ ...d, id: '' }], current: '' },
    { ...good, displays: [{ ...d, id: 'x'.repeat(65) }], current: 'x'.repeat(65) },
    { ...good, displays: [{ ...d, width: -1 }] },
    { ...good, displays: [{ ...d, height: 1.5 }] },
    { ...good, displays: [{ ...d, name: { toString: () => 'x' } }] },
    { ...good, displays: Array(MAX_DISPLAYS + 1).fill(d) },
  ]) {
    assert.equal(displaysFrom(bad), null, JSON.stringify(bad));
  }
});

test('the peer emits displays and sends select_display', () => {
  const peer = new HelperPeer({});
  const sent = [];
  peer.control = { readyState: 'open', send: (m) => sent.push(JSON.parse(m)) };
  let seen = null;
  peer.addEventListener('displays', (e) => { seen = e.detail; });
  peer.onControl(JSON.stringify(good));
  assert.equal(seen?.current, 'DP-1');
  peer.onControl(JSON.stringify({ ...good, current: 'nope' }));
  assert.equal(seen?.current, 'DP-1', 'a broken message changes nothing');
  peer.selectDisplay('root');
  assert.deepEqual(sent, [{ type: 'select_display', id: 'root' }]);
});
