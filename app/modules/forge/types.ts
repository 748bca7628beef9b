/**
 * The forge interface: where proposals go and where maintainers decide on
 * them. A forge receives proposals (GitHub pull requests, or entries of the
 * local review queue, the embedded default) and carries the review: its
 * queue, one change with its files, check runs, merge, request changes,
 * close, acting as a signed-in maintainer. Nothing outside `forge/` asks
 * which forge it is: what differs is behind these types. Pure types.
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
  /** Pull request body (rendered from `.github/proposal-template.md`; the forge adds the proposal marker when it is missing). */
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
  /** Saves (merges) progress durably before resolving. */
  save(patch: Partial<DeliveryProgress>): Promise<void>;
  /** Records a step in the proposal's timeline. */
  note(type: string, detail: string): Promise<void>;
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

/** A revision of a delivered proposal (its contributor changed it after review). */
export interface RevisionOptions {
  /** The files of the version before, as delivered (a path no longer proposed is removed from the change). */
  previousFiles: ProposalFile[];
  /** The revision's number (2 for the first revision). */
  version: number;
  /** OAuth token of the contributor, signed in now: a change from their fork is updated as them. */
  userToken?: string;
}

export interface RevisionResult {
  /** The new commit on the change's branch, when the forge makes commits. */
  commitSha?: string;
}

export type ChangeState = "open" | "merged" | "closed";

export interface ChangeRef {
  number: number;
  /** The proposal id (the local forge looks proposals up by id). */
  proposalId?: string;
}

/** What the pages call a forge and its changes (a new forge brings its own words). */
export interface ForgeTexts {
  /** `GitHub`, `the local review queue`. */
  name: string;
  /** What one change is called: `pull request`, `proposal`. */
  change: string;
  /** The status page's label for the change: `Pull request`, `Review`. */
  changeLabel: string;
  /** The review queue's lead, after the count. */
  queue: string;
  /** How a merge renumbers a question whose number was taken, appended to the notice: ` (a commit on …, then the merge)` or empty. */
  renumbering: string;
  /** What merging does, for the merge form (`as` is whose identity a remote forge acts with). */
  mergeHint(as: ActingAs | undefined): string;
  /** Who the actions are taken as, shown above the forms; absent when the forge has no identities (local). */
  actingNote?(as: ActingAs): string;
  /** For the console at start, when maintainers sign in with the token on a forge with identities. */
  tokenSignInNote?: string;
  /** For the console at start: where proposals go. */
  destination: string;
}

/** Whose identity a remote forge acts with: the signed-in maintainer's own, or the site's (token sign-in). */
export type ActingAs = "maintainer" | "site";

export interface Forge {
  readonly name: ForgeName;
  readonly texts: ForgeTexts;
  /**
   * Changes are decided elsewhere (GitHub): the poller reads the state of proposals under review,
   * and the content checkout always follows its remote (merges reach it by a fast-forward).
   */
  readonly remote: boolean;
  /** `owner/name` of the repository proposals go to, when it is a hosted one (webhooks from others are ignored). */
  readonly repository?: string;
  /**
   * Delivers the proposal: idempotent. Calling it again after a failure, a
   * timeout or a crash at any point never creates a second pull request.
   */
  deliver(proposal: DeliverableProposal, progress: ProgressStore, options?: DeliverOptions): Promise<DeliveryResult>;
  getState(ref: ChangeRef): Promise<ChangeState>;
  /**
   * Puts a revision of a delivered proposal on the same change: GitHub, a new commit on the same
   * branch (the same pull request, its title and body updated); the local queue, nothing to do (its
   * entry reads the stored files). `proposal` carries the revised files, title and body.
   */
  revise(proposal: DeliverableProposal, progress: ProgressStore, options: RevisionOptions): Promise<RevisionResult>;
  /** The maintainers' side. */
  readonly review: ReviewForge;
  /** Sign-in with the forge's accounts (maintainers and contributors), when configured. */
  readonly accounts?: ForgeAccounts;
}

// --- review ------------------------------------------------------------------

export interface OpenChange {
  number: number;
  title: string;
  /** Where the change is on the forge (absent for the local queue, whose page is the site's own). */
  url?: string;
  branch: string;
  author?: string;
  /** Proposal id (read from the hidden marker of a pull request's body, or the local queue's own). */
  proposalId?: string;
  createdAt: string;
  /** The head commit (check runs are looked up by it). */
  head: string;
}

export interface ChangedFile {
  path: string;
  status: "added" | "modified" | "removed" | "renamed";
  /** The forge's unified diff hunks of the file, when it gives them (else the site diffs the files itself). */
  patch?: string;
  /** Blob SHA of the file at the head (absent for removed files). */
  sha?: string;
  /** A renamed file's path before the rename. */
  previousPath?: string;
}

export interface CheckRun {
  name: string;
  status: string;
  conclusion: string | null;
  url?: string;
}

/** One change as a maintainer reviews it. */
export interface ChangeDetail {
  number: number;
  title: string;
  url?: string;
  author?: string;
  createdAt: string;
  state: ChangeState;
  head: string;
  /** The branch the change merges into (its question numbers are the ones a new question must not take). */
  baseRef?: string;
  files: ChangedFile[];
  /** The text of each changed content file at the head (removed files have none). */
  contents: ProposalFile[];
  /** Why the forge will not merge this change from the site as it is, when it will not. */
  blocked?: string;
}

/** Who acts on the forge: a maintainer signed in with the token, or with the forge's account (and its token). */
export interface ReviewActor {
  via: "token" | "forge";
  /** The maintainer's own token on the forge. */
  forgeToken?: string;
}

export interface MergeOptions {
  /** Title of the merge commit. */
  title: string;
  /** The proposal behind the change, when there is one: the merge credits its contributor. */
  proposal?: { id: string; contributor: Contributor; progress: Readonly<DeliveryProgress> };
  /** Files to commit to the change before it is merged (a question renumbered because its number was taken); `sha`: the blob replaced. */
  renumbered: { path: string; content: string; message: string; sha?: string }[];
  /** The head the checks ran on: the forge refuses when the change moved since. */
  head: string;
}

export interface MergeResult {
  /** The commit the merge made (when there is one). */
  commit?: string;
  /** The site's content folder has the change already (the local queue), rather than after the checkout's next sync. */
  live: boolean;
  /** What became of the merge commit on the content remote, for the maintainer (e.g. ` Pushed to the content remote.`). */
  published?: string;
}

/** Review operations (the maintainers' side: see `app/modules/review`). */
export interface ReviewOperations {
  /** Open changes, newest first is not required (the review queue sorts). */
  listOpen(): Promise<OpenChange[]>;
  change(number: number): Promise<ChangeDetail>;
  /**
   * The check runs of a head commit (the forge's CI). Absent when the forge has none: the site's own
   * content check is the check then.
   */
  checkRuns?(head: string): Promise<CheckRun[]>;
  /**
   * Numbers of the questions on the change's base: repository path → number. `known(path, blobSha)`
   * answers from the site's copy when it has that very blob. Absent: the site's content is the base.
   */
  questionNumbers?(change: ChangeDetail, known: (path: string, blobSha: string) => number | undefined): Promise<Map<string, number>>;
  /** Brings what the merge checks see up to date (the local queue fast-forwards a checkout that follows a remote). */
  beforeMerge?(): Promise<void>;
  merge(number: number, options: MergeOptions): Promise<MergeResult>;
  requestChanges(number: number, message: string): Promise<void>;
  close(number: number, message: string): Promise<void>;
}

export interface ReviewForge extends ReviewOperations {
  /**
   * The queue also holds changes not made by the site's forms (hand-made pull requests), addressed
   * as `pr-<number>` by the review pages.
   */
  readonly foreignChanges: boolean;
  /** The same operations as this maintainer; `actingAs` says whose identity they use (absent: the forge has none). */
  as(actor: ReviewActor): ReviewOperations & { actingAs?: ActingAs };
}

/** The content checkout's git sync, as a forge's merge uses it. */
export interface Checkout {
  /** The checkout follows a remote. */
  readonly enabled: boolean;
  sync(reason?: string): Promise<unknown>;
  push(reason?: string): Promise<{ pushed: boolean; error?: string }>;
}

/** The stored proposals, as the local forge reads its queue from them (`contributions/store.server.ts` provides them). */
export interface ProposalRecords {
  /** Delivered proposals waiting for review (`opened`, `changes_requested`) of this forge. */
  open(forge: ForgeName): Promise<QueueEntry[]>;
  byNumber(forge: ForgeName, number: number): Promise<QueueEntry | undefined>;
  byId(id: string): Promise<QueueEntry | undefined>;
  /** Allocates the forge's next change number (never repeated) and awaits `save` with it. */
  allocateNumber(forge: ForgeName, save: (number: number) => Promise<void>): Promise<number>;
}

export interface QueueEntry {
  id: string;
  kind: ProposalKind;
  /** The change number, once delivered. */
  number: number | null;
  title: string;
  branch: string | null;
  contributor: Contributor;
  files: ProposalFile[];
  /** The proposal's status: `opened` and `changes_requested` wait for a decision. */
  status: string;
  createdAt: string;
}

// --- accounts ----------------------------------------------------------------

export interface ForgeUser {
  login: string;
  name: string | null;
}

export interface CollaboratorPermission {
  /** Legacy base level: admin, write, read, none. */
  permission: string;
  /** The highest role: admin, maintain, write, triage, read, or a custom role. */
  role_name: string;
}

/** Sign-in with the forge's accounts: its OAuth web flow, who a token belongs to, and their permission. */
export interface ForgeAccounts {
  oauth: { url: string; clientId: string; clientSecret: string; scope: string };
  /** `owner/name`, for messages. */
  repository: string;
  /** Who the token belongs to (the user's own token). */
  user(token: string): Promise<ForgeUser>;
  /** The user's permission on the content repository (forge credentials). A user the forge does not know has `none`. */
  permission(login: string): Promise<CollaboratorPermission>;
}
