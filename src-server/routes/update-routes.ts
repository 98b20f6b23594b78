import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

/** Where the feed is served (`--updates-dir`): the app's `publish.url` in electron-builder.yml. */
export const UPDATES_PREFIX = '/api/v1/updates';

/**
 * A file name of the feed: one path segment (no folder below the feed's), no dotfile, no
 * separator or control character. What electron-builder publishes (`latest-linux.yml`,
 * `Help Desk-1.2.0.AppImage`, `….blockmap`) always fits.
 */
const FEED_FILE = /^\/(?!\.)[^/\\\p{Cc}]{1,255}$/u;

/**
 * The desktop app's update feed (electron-updater's generic provider): the files of `dir` as they
 * are, `latest*.yml` and the installers they name, read at each request, so that publishing a
 * release is copying its files into the folder. No sign-in: the app checks before anyone signs
 * in, and an app too old for the service (426) must still reach its update; nothing here belongs
 * to a tenant, and the installers are checked against the sha512 of the feed file (fetched over
 * the same TLS). Single byte ranges (206) serve the differential downloads; the app is built with
 * `useMultipleRangeRequest: false`.
 */
export function updateRoutes(dir: string): FastifyPluginAsync {
  return async (app) => {
    await app.register(fastifyStatic, {
      root: dir,
      index: false,
      list: false,
      redirect: false,
      decorateReply: false,
      dotfiles: 'ignore',
      // `Cache-Control: no-store` of every answer stays: a cached feed file would hide a release.
      cacheControl: false,
      allowedPath: (pathName) => FEED_FILE.test(pathName),
      setHeaders: (reply) => reply.header('X-Content-Type-Options', 'nosniff'),
    });
  };
}
