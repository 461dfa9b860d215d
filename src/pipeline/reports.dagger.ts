// Collects the report files of a release into one Directory (`dagger call release ... reports export`).
import { dag, type Directory, type File } from "@dagger.io/dagger";

type Entry = { path: string; text: string } | { path: string; file: File } | { path: string; directory: Directory };

export class ReportSink {
  private readonly entries: Entry[] = [];

  addText(path: string, text: string): string {
    this.entries.push({ path, text });
    return path;
  }

  addFile(path: string, file: File): string {
    this.entries.push({ path, file });
    return path;
  }

  addDirectory(path: string, directory: Directory): string {
    this.entries.push({ path, directory });
    return path;
  }

  paths(): string[] {
    return this.entries.map((e) => e.path);
  }

  directory(): Directory {
    let dir = dag.directory();
    for (const e of this.entries) {
      if ("text" in e) dir = dir.withNewFile(e.path, e.text);
      else if ("file" in e) dir = dir.withFile(e.path, e.file);
      else dir = dir.withDirectory(e.path, e.directory);
    }
    return dir;
  }
}
