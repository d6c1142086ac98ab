import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HelperPeer, iceConfigFrom } from '../lib/peer.js';

const turn = {
  urls: ['turn:relay.example.com:3478?transport=udp', 'turns:relay.example.com:443?transport=tcp'],
  username: '1765003600:000000000000feed',
  credential: 'RttwaQfNPUdeaA/q5ULsIMT7ToU=',
};

test('the relays of an ice_servers message, as RTCPeerConnection takes them', () => {
  assert.deepEqual(iceConfigFrom({ type: 'ice_servers', ice_servers: [turn], relay_only: true }), {
    iceServers: [turn], iceTransportPolicy: 'relay',
  });
  assert.deepEqual(iceConfigFrom({ ice_servers: [{ urls: ['stun:relay.example.com'] }] }), {
    iceServers: [{ urls: ['stun:relay.example.com'] }], iceTransportPolicy: 'all',
  });
});

test('hostile or broken relay lists are dropped, never thrown', () => {
  for (const bad of [null, {}, { ice_servers: 'x' }, { ice_servers: [null, 3, { urls: 'turn:x' }] },
    { ice_servers: [{ urls: ['javascript:alert(1)', 'https://x', 'turn:has space'] }] }]) {
    assert.deepEqual(iceConfigFrom(bad), { iceServers: [], iceTransportPolicy: 'all' });
  }
  // relay_only with no TURN server would leave no candidate at all: not applied.
  assert.equal(iceConfigFrom({ ice_servers: [{ urls: ['stun:x'] }], relay_only: true }).iceTransportPolicy, 'all');
  // A credential only with its user name, and only strings.
  assert.deepEqual(iceConfigFrom({ ice_servers: [{ urls: ['turn:x'], credential: 'c' }] }).iceServers, [{ urls: ['turn:x'] }]);
  assert.equal(iceConfigFrom({ ice_servers: Array(20).fill(turn) }).iceServers.length, 8);
});

test('the peer connection gets the relays and the policy', async () => {
  let seen = null;
  class FakePc {
    constructor(config) { seen = config; }
    addTransceiver() { return { receiver: {} }; }
    createDataChannel() { return {}; }
    createOffer() { return Promise.resolve({ type: 'offer', sdp: 'v=0' }); }
    setLocalDescription() { return Promise.resolve(); }
  }
  const relays = iceConfigFrom({ ice_servers: [turn], relay_only: true });
  const p = new HelperPeer({ RTCPeerConnection: FakePc, Capabilities: null, ...relays });
  p.createPc();
  assert.deepEqual(seen.iceServers, [turn]);
  assert.equal(seen.iceTransportPolicy, 'relay');
  new HelperPeer({ RTCPeerConnection: FakePc }).createPc();
  assert.equal(seen.iceTransportPolicy, 'all');
});
