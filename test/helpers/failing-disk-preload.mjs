// A failing disk for a real sandbox process, loaded only by tests (NODE_OPTIONS=--import=<this file>),
// so that the production code carries no test hook. Once the file FAILING_DISK_TRIGGER exists, every
// fs.writeSync and fs.fdatasync of a file under FAILING_DISK_DIR fails with EIO (the log lines on stdout
// still go out). SIGUSR2 leaves a promise rejected and unhandled; SIGWINCH throws out of a callback:
// the two faults the last-resort handler in src/main.ts is for.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const trigger = process.env.FAILING_DISK_TRIGGER;
const dir = process.env.FAILING_DISK_DIR;

function failing(fd) {
  if (!trigger || !dir || !fs.existsSync(trigger)) return false;
  try {
    return fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith(dir);
  } catch {
    return false;
  }
}
const eio = (call) => Object.assign(new Error(`EIO: i/o error, ${call}`), { code: 'EIO', errno: -5, syscall: call });

const writeSync = fs.writeSync;
const fdatasync = fs.fdatasync;
fs.writeSync = (fd, ...rest) => {
  if (failing(fd)) throw eio('write');
  return writeSync(fd, ...rest);
};
fs.fdatasync = (fd, callback) => {
  if (failing(fd)) return process.nextTick(() => callback(eio('fdatasync')));
  return fdatasync(fd, callback);
};
syncBuiltinESMExports();

process.on('SIGUSR2', () => {
  // eslint-disable-next-line @typescript-eslint/no-floating-promises -- left unhandled on purpose
  Promise.reject(new Error('stray rejection (test)'));
});
process.on('SIGWINCH', () => {
  setImmediate(() => {
    throw new Error('stray exception (test)');
  });
});
