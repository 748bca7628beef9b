/**
 * A forge receives proposals as pull requests (GitHub) or as entries of the
 * local review queue (the embedded default). Pure types: no I/O here.
 */

export type ForgeName = "local" | "github";

export type ProposalKind = "question" | "answer" | "edit";

export interface ProposalFile {
  /** Repository path, e.g. `content/questions/what-is-wsgi/question.md`. */
  path: string;
  /** Full text of the file (UTF-8, LF line ends). */
  content: string;
}

export interface Contributor {
  name: string;
  /** GitHub username, without `@`. */
  github?: string;
  email?: string;
}

/** Everything a forge needs to deliver one proposal. */
export interface DeliverableProposal {
  id: string;
  kind: ProposalKind;
  /** The question's slug (new question, answered question or edited question). */
  slug: string;
  /** The question's title (after the edit, for edits of a question). */
  questionTitle: string;
  files: ProposalFile[];
  contributor: Contributor;
  /** Pull request title, e.g. `Question: What is WSGI?`. */
  title: string;
  /** Pull request body (rendered from `.github/proposal-template.md`). */
  body: string;
  /** ISO timestamp of the proposal (used as the commit's author date). */
  createdAt: string;
}

/** What a forge has already done for a proposal; saved after every step. */
export interface DeliveryProgress {
  branch?: string;
  commitSha?: string;
  prNumber?: number;
  prUrl?: string;
  /** Owner of the repository that holds the branch, when it is a fork. */
  headOwner?: string;
  /** Name of that repository (forks may be renamed). */
  headRepo?: string;
  /** The fork's branch the proposal's commit starts from. */
  headBase?: string;
  /** GitHub has finished creating the fork (its git data can be read) and it was synced. */
  forkReady?: boolean;
  /** Labels were added to the pull request. */
  labelled?: boolean;
  /**
   * The contributor's GitHub username as GitHub resolved it (`GET /users/{username}`, canonical
   * login casing) before the commit was made; `null` when GitHub has no such user (not credited).
   * `sameAsAuthor`: the commit author already is that account, so there is no co-author trailer.
   */
  githubUser?: { id: number; login: string; sameAsAuthor: boolean } | null;
}

/** Durable memory of one delivery, so a retry (even after a crash) skips done steps. */
export interface ProgressStore {
  /** What has been saved so far. */
  readonly current: Readonly<DeliveryProgress>;
  /** Saves (merges) progress durably before returning. */
  save(patch: Partial<DeliveryProgress>): void;
  /** Records a step in the proposal's timeline. */
  note(type: string, detail: string): void;
}

export interface DeliveryResult {
  number: number;
  url: string;
  branch: string;
  /**
   * Set when a retry found the pull request of an earlier attempt already
   * merged or closed on the forge (the maintainers decided): the proposal
   * takes that state, and no new pull request is opened.
   */
  state?: "merged" | "closed";
}

export interface DeliverOptions {
  /** OAuth token of a signed-in contributor: the pull request is opened as that user. */
  userToken?: string;
}

export type ChangeState = "open" | "merged" | "closed";

export interface ChangeRef {
  number: number;
  /** The proposal id (the local forge looks proposals up by id). */
  proposalId?: string;
}

export interface Forge {
  readonly name: ForgeName;
  /**
   * Delivers the proposal: idempotent. Calling it again after a failure, a
   * timeout or a crash at any point never creates a second pull request.
   */
  deliver(proposal: DeliverableProposal, progress: ProgressStore, options?: DeliverOptions): Promise<DeliveryResult>;
  getState(ref: ChangeRef): Promise<ChangeState>;
  /** The maintainers' side, where the forge supports it. */
  review?: ReviewForge;
}

export interface OpenChange {
  number: number;
  title: string;
  url: string;
  branch: string;
  author?: string;
  /** Proposal id read from the hidden marker of the body, when present. */
  proposalId?: string;
  createdAt: string;
}

export interface ChangedFile {
  path: string;
  status: "added" | "modified" | "removed" | "renamed";
  patch?: string;
}

/** Review operations (the maintainers' side: see `app/modules/review`). */
export interface ReviewForge {
  listOpen(): Promise<OpenChange[]>;
  diff(number: number): Promise<ChangedFile[]>;
  merge(number: number, options?: { message?: string }): Promise<void>;
  requestChanges(number: number, message: string): Promise<void>;
  close(number: number, message?: string): Promise<void>;
}
