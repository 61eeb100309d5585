/**
 * Apply-time validation (issue 14): the Pod of the issue gets its six errors at the right lines, and the
 * YAML 1.1 resolution of go-yaml v2 (kubernetes-sigs/yaml goyaml.v2/resolve.go) is modelled scalar by scalar.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goKeyString, resolvePlain } from '../src/model/decode.js';
import {
  cidrStrictlyContains,
  domainPrefixedPathProblem,
  parseCidr,
  parseIntOrPercent,
  parseIp,
  wildcardSubdomainProblem,
} from '../src/model/syntax.js';
import { lintText } from './helpers.js';

const ISSUE_POD = `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels:
    enabled: yes
spec:
  containers:
    - name: c
      image: nginx:1.27
      env:
        - name: DEBUG
          value: on
      volumeMounts:
        - name: missing
          mountPath: /x
        - name: cfg
          mountPath: /x
    - name: c
      image: nginx:1.27
      resources:
        requests: {cpu: "2"}
        limits: {cpu: "1"}
  volumes:
    - name: cfg
      configMap: {name: cfg}
`;

describe('the Pod of issue 14', () => {
  it('gets six errors, each at its line', () => {
    const errors = lintText(ISSUE_POD)
      .findings.filter((f) => f.severity === 'error')
      .map((f) => `${String(f.line)}:${f.ruleId}`);
    assert.deepEqual(errors, [
      '6:yaml-decode',
      '13:yaml-decode',
      '15:volume-invalid',
      '18:volume-invalid',
      '19:container-invalid',
      '22:container-invalid',
    ]);
  });
});

describe('go-yaml v2 scalar resolution', () => {
  const cases: [string, unknown][] = [
    // booleans of YAML 1.1 (resolveMapList)
    ...['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE'].map((s): [string, unknown] => [
      s,
      true,
    ]),
    ...['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE'].map((s): [string, unknown] => [
      s,
      false,
    ]),
    // not in the table: strings
    ['yES', 'yES'],
    ['oN', 'oN'],
    ['tRUE', 'tRUE'],
    ['nil', 'nil'],
    // nulls
    ['', null],
    ['~', null],
    ['null', null],
    ['Null', null],
    ['NULL', null],
    // integers through strconv.ParseInt(s, 0, 64) after removing `_`
    ['0644', 420],
    ['0755', 493],
    ['-0755', -493],
    ['0o755', 493],
    ['0O755', 493],
    ['0x1F', 31],
    ['0X1F', 31],
    ['-0x1F', -31],
    ['+0x1F', 31],
    ['0b101', 5],
    ['0B101', 5],
    ['1_000', 1000],
    ['00', 0],
    ['+12', 12],
    // not octal: ParseInt fails, the float pattern matches
    ['08', 8],
    ['0080', 80],
    ['08080', 8080],
    ['0755.5', 755.5],
    ['1_0.5', 10.5],
    ['1e3', 1000],
    ['1.', 1],
    ['.5', 0.5],
    ['-.5', -0.5],
    // special floats
    ['.inf', Infinity],
    ['-.Inf', -Infinity],
    ['+.INF', Infinity],
    // strings: timestamps stay strings in an untyped value, base 60 is not supported, words are words
    ['2024-05-01', '2024-05-01'],
    ['2001-12-14t21:59:43.10-05:00', '2001-12-14t21:59:43.10-05:00'],
    ['1:30', '1:30'],
    ['190:20:30', '190:20:30'],
    ['0x', '0x'],
    ['1.2.3', '1.2.3'],
    ['-', '-'],
    ['.', '.'],
    ['.x', '.x'],
    ['v1', 'v1'],
    ['<<', '<<'],
  ];
  for (const [written, expected] of cases) {
    it(`reads ${JSON.stringify(written)} as ${String(expected)}`, () => {
      const got = resolvePlain(written);
      if (typeof expected === 'number' && Number.isNaN(expected)) assert.ok(Number.isNaN(got));
      else assert.equal(got, expected);
    });
  }
  it('reads .nan as NaN', () => {
    assert.ok(Number.isNaN(resolvePlain('.NaN')));
  });
  it('turns keys into strings as convertToJSONableObject does', () => {
    assert.equal(goKeyString(resolvePlain('on')), 'true');
    assert.equal(goKeyString(resolvePlain('no')), 'false');
    assert.equal(goKeyString(resolvePlain('0755')), '493');
    assert.equal(goKeyString(resolvePlain('1.0')), '1');
    assert.equal(goKeyString(resolvePlain('.inf')), '.inf');
    assert.equal(goKeyString(resolvePlain('~')), null);
    assert.equal(goKeyString(resolvePlain('app')), 'app');
  });
});

describe('validation reads what the API server decodes', () => {
  it('accepts YAML 1.1 booleans in boolean fields, octal modes, merge keys and underscores', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1_0
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      hostNetwork: yes
      automountServiceAccountToken: no
      containers:
        - name: web
          image: nginx:1.27
          resources: &r
            requests: {cpu: 100m}
        - name: side
          image: nginx:1.27
          resources:
            <<: *r
            limits: {cpu: 200m}
      volumes:
        - name: cfg
          configMap: {name: cfg, defaultMode: 0644}
`;
    const findings = lintText(text, ['schema-invalid', 'unknown-field', 'yaml-decode', 'volume-invalid']).findings;
    assert.deepEqual(
      findings.map((f) => `${String(f.line)}:${f.ruleId}`),
      [],
    );
  });
  it('still reports a decimal mode that is out of range', () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: c, image: nginx:1.27}]
  volumes:
    - name: cfg
      configMap: {name: cfg, defaultMode: 644}
`;
    assert.deepEqual(
      lintText(text, ['volume-invalid']).findings.map((f) => `${String(f.line)}:${f.ruleId}`),
      ['8:volume-invalid'],
    );
  });
});

describe('metadata-invalid: annotation size (TotalAnnotationSizeLimitB, objectmeta.go)', () => {
  const configMap = (name: string, annotations: Record<string, string>, blob: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  annotations: ${JSON.stringify(annotations)}\ndata:\n  blob: "${blob}"\n`;
  const run = (text: string) =>
    lintText(text, ['metadata-invalid']).findings.map(
      (f) => `${String(f.line)}:${f.severity}:${f.message.slice(0, 40)}`,
    );
  it('rejects annotations above 256 KiB in all, keys included, and upper-case prefixes are no problem', () => {
    const text = configMap(
      'big',
      { 'Example.com/a': 'x'.repeat(200_000), 'example.com/b': 'y'.repeat(70_000) },
      'small',
    );
    assert.deepEqual(run(text), ['5:error:the annotations of ConfigMap `big` take ']);
  });
  it('accepts 256 KiB exactly', () => {
    const text = configMap('edge', { a: 'x'.repeat(256 * 1024 - 1) }, 'small');
    assert.deepEqual(
      lintText(text, ['metadata-invalid']).findings.filter((f) => f.severity === 'error'),
      [],
    );
  });
  it('tells when client-side apply would add an annotation that is too long', () => {
    assert.deepEqual(run(configMap('blob', {}, 'z'.repeat(262_100))), [
      '2:info:ConfigMap `blob` is 262201 bytes as JSON',
    ]);
    assert.deepEqual(run(configMap('small', {}, 'z'.repeat(1000))), []);
  });
});

describe('syntax helpers of the networking, policy and autoscaling validation', () => {
  it('parses IP addresses as net.ParseIP (and ParseIPSloppy) do', () => {
    assert.deepEqual(parseIp('10.0.0.1'), [10, 0, 0, 1]);
    assert.equal(parseIp('010.0.0.1'), undefined, 'net.ParseIP refuses leading zeros');
    assert.deepEqual(parseIp('010.0.0.1', true), [10, 0, 0, 1], 'ParseIPSloppy reads them as decimal');
    assert.equal(parseIp('256.0.0.1'), undefined);
    assert.equal(parseIp('1.2.3'), undefined);
    assert.deepEqual(parseIp('::1')?.slice(-2), [0, 1]);
    assert.equal(parseIp('::1')?.length, 16);
    assert.deepEqual(parseIp('::ffff:10.1.2.3')?.slice(-4), [10, 1, 2, 3]);
    assert.equal(parseIp('2001:db8::1::2'), undefined, 'two `::`');
    assert.equal(parseIp('1:2:3:4:5:6:7:8:9'), undefined);
    assert.equal(parseIp('example.com'), undefined);
  });

  it('parses CIDRs and tells strict subsets (ValidateIPBlock)', () => {
    const cidr = (text: string) => parseCidr(text) ?? assert.fail(text);
    assert.equal(parseCidr('10.0.0.0'), undefined, 'no prefix');
    assert.equal(parseCidr('10.0.0.0/33'), undefined);
    assert.equal(parseCidr('fd00::/129'), undefined);
    assert.ok(parseCidr('192.168.1.5/24'), 'host bits may be set in the legacy field');
    assert.ok(cidrStrictlyContains(cidr('172.16.0.0/16'), cidr('172.16.1.0/24')));
    assert.ok(!cidrStrictlyContains(cidr('172.16.0.0/16'), cidr('172.16.0.0/16')), 'equal is not strict');
    assert.ok(!cidrStrictlyContains(cidr('172.16.0.0/16'), cidr('172.17.0.0/24')));
    assert.ok(!cidrStrictlyContains(cidr('172.16.0.0/16'), cidr('172.0.0.0/8')), 'wider is not inside');
    assert.ok(!cidrStrictlyContains(cidr('fd00::/8'), cidr('10.0.0.0/16')), 'other family');
    assert.ok(cidrStrictlyContains(cidr('2001:db8::/32'), cidr('2001:db8:1::/48')));
    assert.ok(cidrStrictlyContains(cidr('0.0.0.0/0'), cidr('169.254.169.254/32')));
  });

  it('checks wildcard hosts, domain-prefixed paths and int-or-percent values', () => {
    assert.equal(wildcardSubdomainProblem('*.example.com'), undefined);
    assert.ok(wildcardSubdomainProblem('*.*.example.com'));
    assert.ok(wildcardSubdomainProblem('foo.*.example.com'));
    assert.ok(wildcardSubdomainProblem('*example.com'));
    assert.equal(domainPrefixedPathProblem('k8s.io/ingress-nginx'), undefined);
    assert.ok(domainPrefixedPathProblem('nginx'));
    assert.ok(domainPrefixedPathProblem('Example.com/x'));
    assert.ok(domainPrefixedPathProblem('example.com/'));
    assert.deepEqual(parseIntOrPercent(3), { amount: 3, percent: false });
    assert.deepEqual(parseIntOrPercent('25%'), { amount: 25, percent: true });
    assert.deepEqual(parseIntOrPercent('25 %'), { problem: 'syntax' });
    assert.deepEqual(parseIntOrPercent('1.5'), { problem: 'syntax' });
    assert.deepEqual(parseIntOrPercent(-1), { problem: 'negative' });
    assert.equal(parseIntOrPercent(undefined), undefined);
  });
});
