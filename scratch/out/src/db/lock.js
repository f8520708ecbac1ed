"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.DataDirLockedError = void 0;
exports.lockDataDir = lockDataDir;
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
class DataDirLockedError extends Error {
    name = 'DataDirLockedError';
}
exports.DataDirLockedError = DataDirLockedError;
function processAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (err) {
        return err.code === 'EPERM';
    }
}
/**
 * Takes the data directory for this process. PGlite does not lock its files,
 * and two processes opening one directory damage it, so every opener (server,
 * CLI, migrations) goes through this lock. A lock left by a dead process is
 * taken over.
 */
function lockDataDir(dataDir) {
    node_fs_1.default.mkdirSync(dataDir, { recursive: true });
    const lockPath = node_path_1.default.join(dataDir, 'accesskeyd.lock');
    for (let attempt = 0; attempt < 3; attempt++) {
        try {
            const fd = node_fs_1.default.openSync(lockPath, 'wx', 0o600);
            node_fs_1.default.writeSync(fd, String(process.pid));
            node_fs_1.default.closeSync(fd);
            let released = false;
            return () => {
                if (released)
                    return;
                released = true;
                try {
                    node_fs_1.default.unlinkSync(lockPath);
                }
                catch {
                    // already gone: nothing to release
                }
            };
        }
        catch (err) {
            if (err.code !== 'EEXIST')
                throw err;
            const holder = Number.parseInt(node_fs_1.default.readFileSync(lockPath, 'utf8'), 10);
            if (Number.isInteger(holder) && holder > 0 && processAlive(holder)) {
                throw new DataDirLockedError(`The embedded database in ${dataDir} is in use by process ${holder} (a running server or command). ` +
                    'Stop that process first, or point DATABASE_URL at a PostgreSQL server to share a database between processes.');
            }
            node_fs_1.default.rmSync(lockPath, { force: true });
        }
    }
    throw new DataDirLockedError(`Could not lock ${dataDir}; another process keeps taking it.`);
}
