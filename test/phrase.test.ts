/** The phrasing module: every recurring part of a message, as users read it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MAX_NAME_LENGTH,
  code,
  containerLabel,
  containerName,
  listOf,
  nameList,
  namespaceLabel,
  objectLabel,
  plural,
  portLabel,
  portList,
  suggestion,
} from '../src/model/phrase.js';

const cart = { kind: 'Deployment', name: 'cart', namespace: 'shop' };

describe('phrase', () => {
  it('quotes names as code and caps long ones', () => {
    assert.equal(code('web'), '`web`');
    assert.equal(code(8080), '`8080`');
    const long = code('x'.repeat(500));
    assert.equal(long.length, MAX_NAME_LENGTH + 2);
    assert.ok(long.endsWith('…`'));
  });

  it('names objects with their namespace, except default and cluster scope', () => {
    assert.equal(objectLabel(cart), 'Deployment `shop/cart`');
    assert.equal(objectLabel({ ...cart, namespace: 'default' }), 'Deployment `cart`');
    assert.equal(objectLabel({ kind: 'ClusterRole', name: 'reader', namespace: null }), 'ClusterRole `reader`');
    assert.equal(objectLabel({ ...cart, name: '' }), 'Deployment (unnamed)');
    assert.equal(namespaceLabel('shop'), 'namespace `shop`');
  });

  it('names containers by their kind, with and without their object', () => {
    assert.equal(containerLabel(cart, { kind: 'app', name: 'api' }), 'container `api` of Deployment `shop/cart`');
    assert.equal(containerName({ kind: 'init', name: 'migrate' }), 'init container `migrate`');
    assert.equal(containerName({ kind: 'sidecar', name: 'envoy' }), 'sidecar container `envoy`');
    assert.equal(containerName({ kind: 'ephemeral', name: 'debug' }), 'ephemeral container `debug`');
    assert.equal(containerLabel(cart, { kind: 'app', name: '' }), 'container (unnamed) of Deployment `shop/cart`');
  });

  it('names ports with name, number and protocol, and says when a number is missing', () => {
    assert.equal(portLabel({ name: 'http', containerPort: 8080, protocol: 'TCP' }), 'http=8080/TCP');
    assert.equal(portLabel({ name: undefined, containerPort: 53, protocol: 'UDP' }), '53/UDP');
    assert.equal(portLabel({ name: '', containerPort: 53, protocol: 'UDP' }), '53/UDP');
    assert.equal(portLabel({ name: 'smtp', containerPort: undefined, protocol: 'TCP' }), 'smtp (no number)');
    assert.equal(portLabel({ name: undefined, containerPort: undefined, protocol: 'TCP' }), '(no name or number)');
    assert.equal(
      portList([
        { name: 'http', containerPort: 80, protocol: 'TCP' },
        { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
      ]),
      'http=80/TCP and metrics=9090/TCP',
    );
    assert.equal(portList([]), 'none');
  });

  it('lists names in order, with "and", "or" and a count past the maximum', () => {
    assert.equal(nameList([]), 'none');
    assert.equal(nameList(['a']), '`a`');
    assert.equal(nameList(['a', 'b']), '`a` and `b`');
    assert.equal(nameList(['a', 'b', 'c']), '`a`, `b` and `c`');
    assert.equal(nameList(['a', 'b', 'c', 'd', 'e']), '`a`, `b`, `c` and 2 more');
    assert.equal(nameList(['TCP', 'UDP', 'SCTP'], 8, 'or'), '`TCP`, `UDP` or `SCTP`');
    assert.equal(nameList(['a', 'b', 'c', 'd'], 2, 'or'), '`a`, `b` or 2 others');
    assert.equal(nameList(['a', 'b', 'c'], 2, 'or'), '`a`, `b` or 1 other');
    assert.equal(listOf(['Service `a`', 'Service `b`']), 'Service `a` and Service `b`');
  });

  it('ends a message with a suggestion only when there is one', () => {
    assert.equal(suggestion(undefined), '');
    assert.equal(suggestion('http'), '; did you mean `http`?');
    assert.equal(suggestion(8080), '; did you mean `8080`?');
    assert.equal(
      suggestion('Deployment', ' (`apiVersion: apps/v1`)'),
      '; did you mean `Deployment` (`apiVersion: apps/v1`)?',
    );
  });

  it('counts with the right noun', () => {
    assert.equal(plural(1, 'pod'), '1 pod');
    assert.equal(plural(0, 'pod'), '0 pods');
    assert.equal(plural(3, 'replica'), '3 replicas');
    assert.equal(plural(2, 'policy', 'policies'), '2 policies');
  });
});
