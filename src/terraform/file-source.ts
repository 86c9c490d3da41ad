// Where a scan reads the configuration and a committed state from: the local disk (the CLI) or a
// repository's tree at one commit (the GitHub App). The loaders only list directories and read
// texts through this interface, so one loader serves both.

export interface FileEntry {
  name: string;
  kind: 'file' | 'dir';
}

export interface FileSource {
  /** The local disk (paths from the command line) or a repository (paths from its config):
   * error messages say what to change accordingly. */
  readonly origin: 'disk' | 'repository';
  /** Where the files come from, for messages: "acme/infra at 1a2b3c4". */
  readonly label: string;
  /** Entries of a directory (posix path), or null when there is no such directory. */
  list(dir: string): Promise<FileEntry[] | null>;
  /**
   * A file's text, or null when there is no such file. Any other failure throws (an `Error` with
   * an errno-style `code` such as EISDIR or EACCES where there is one): a file that exists but
   * cannot be read is never taken for an absent one.
   */
  read(path: string): Promise<string | null>;
}
