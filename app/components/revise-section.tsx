import { Link } from "@remix-run/react";

export interface ReviseSectionProps {
  /** The contributor hears about each step by mail. */
  mailed: boolean;
  /** The proposal is decided (merged or closed): nothing more to follow. */
  decided: boolean;
  /** The proposal may be revised now (in review, or changes requested). */
  revisable: boolean;
  /** Changes were requested: the section says so first. */
  changesRequested: boolean;
  /** The revise link, shown this once right after sending. */
  onceLink?: string;
  /** The visitor is signed in with the GitHub account that sent the proposal. */
  signedInLink?: string;
}

/** The status page's follow-up part: how the contributor hears back, the once-shown revise link, and how to revise. */
export function ReviseSection({ mailed, decided, revisable, changesRequested, onceLink, signedInLink }: ReviseSectionProps) {
  const follow = decided ? null : mailed ? (
    <p className="follow-up">You get an e-mail at each step: when it is reviewed, when changes are asked for, when it is merged or closed.</p>
  ) : (
    <p className="follow-up">
      <strong>Bookmark this page</strong> to follow your proposal: no e-mail comes with it. Proposals sent from this browser are also listed under{" "}
      <Link to="/contributions">your proposals</Link>.
    </p>
  );
  if (!onceLink && !revisable) return follow;
  return (
    <>
      {follow}
      <section aria-labelledby="revise-heading" className={changesRequested ? "notice revise" : "revise"}>
        <h2 id="revise-heading">{changesRequested ? "Revise your proposal" : "Revising"}</h2>
        {onceLink ? (
          <>
            <p>
              <strong>Keep this link:</strong> it lets you revise your proposal after the maintainers' review. It is shown only this once (bookmark it
              or copy it somewhere safe); with an e-mail address on the proposal you also get a fresh one when changes are requested.
            </p>
            <p className="revise-link">
              <a href={onceLink}>{onceLink}</a>
            </p>
          </>
        ) : null}
        {revisable && signedInLink ? (
          <p>
            <Link to={signedInLink}>Revise your proposal</Link> (you sent it signed in with GitHub).
          </p>
        ) : revisable && !onceLink ? (
          <p>
            {changesRequested ? "Change what the maintainers asked for: open" : "To change your proposal, open"} the revise link you were given when
            you sent it (it is also in the e-mail about the maintainers' comment). The same form opens, filled in with what you sent.
          </p>
        ) : null}
      </section>
    </>
  );
}
