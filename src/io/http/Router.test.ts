import { describe, expect, it } from 'vitest';
import { Router } from './Router.ts';

describe('Router', () => {
  const router = new Router<string>();
  router.add('POST', '/v1/decisions', 'decide');
  router.add('GET', '/v1/keys/:key', 'key');
  router.add('DELETE', '/v1/keys/:key', 'forget');
  router.add('GET', '/v1/keys/:key/history', 'history');
  router.add('GET', '/v1/keys/special', 'special');
  router.add('GET', '/healthz', 'health');

  it('finds literal routes and captures raw parameters', () => {
    expect(router.find('POST', '/v1/decisions')).toEqual({ kind: 'found', route: 'decide', params: [] });
    expect(router.find('GET', '/v1/keys/u%201')).toEqual({ kind: 'found', route: 'key', params: ['u%201'] });
    expect(router.find('GET', '/v1/keys/u1/history')).toEqual({ kind: 'found', route: 'history', params: ['u1'] });
  });

  it('prefers a literal segment over a parameter', () => {
    expect(router.find('GET', '/v1/keys/special')).toEqual({ kind: 'found', route: 'special', params: [] });
  });

  it('tells a wrong method (with the allowed ones) from an unknown path', () => {
    expect(router.find('GET', '/v1/decisions')).toEqual({ kind: 'method-not-allowed', allow: ['POST'] });
    expect(router.find('PUT', '/v1/keys/u1')).toEqual({ kind: 'method-not-allowed', allow: ['GET', 'DELETE'] });
    expect(router.find('GET', '/v1')).toEqual({ kind: 'not-found' });
    expect(router.find('GET', '/v1/keys/')).toEqual({ kind: 'not-found' });
    expect(router.find('GET', '/v1/decisions/extra')).toEqual({ kind: 'not-found' });
    expect(router.find('GET', 'healthz')).toEqual({ kind: 'not-found' });
    expect(router.find('GET', '/healthz/')).toEqual({ kind: 'not-found' });
  });

  it('refuses duplicate routes and conflicting parameter names', () => {
    const r = new Router<number>();
    r.add('GET', '/a/:id', 1);
    expect(() => r.add('GET', '/a/:id', 2)).toThrow(/duplicate/);
    expect(() => r.add('POST', '/a/:name', 3)).toThrow(/conflicts/);
  });
});
