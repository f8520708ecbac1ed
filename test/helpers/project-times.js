// A Jest reporter: at the end of a run, each project's wall time (the sum of its files' times from
// start to result, which in band is the time the project took) and its count of files.
class ProjectTimes {
  constructor() {
    this.started = new Map();
    this.projects = new Map();
  }

  onTestStart(test) {
    this.started.set(test.path, Date.now());
  }

  onTestResult(test) {
    const name = test.context.config.displayName?.name ?? 'default';
    const entry = this.projects.get(name) ?? { files: 0, ms: 0 };
    entry.files += 1;
    entry.ms += Date.now() - (this.started.get(test.path) ?? Date.now());
    this.projects.set(name, entry);
  }

  onRunComplete() {
    for (const [name, { files, ms }] of this.projects) {
      process.stderr.write(`project ${name}: ${files} files in ${(ms / 1000).toFixed(1)} s\n`);
    }
  }
}

module.exports = ProjectTimes;
