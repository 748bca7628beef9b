import { Link } from "@remix-run/react";

export interface ReviseSectionProps {
  /** The proposal may be revised now (in review, or changes requested). */
  revisable: boolean;
  /** Changes were requested: the section says so first. */
  changesRequested: boolean;
  /** The revise link, shown this once right after sending. */
  onceLink?: string;
  /** The visitor is signed in with the GitHub account that sent the proposal. */
  signedInLink?: string;
}

/** The status page's "Revise" part: the once-shown revise link, and how to revise. */
export function ReviseSection({ revisable, changesRequested, onceLink, signedInLink }: ReviseSectionProps) {
  if (!onceLink && !revisable) return null;
  return (
    <section aria-labelledby="revise-heading" className={changesRequested ? "notice revise" : "revise"}>
      <h2 id="revise-heading">{changesRequested ? "Revise your proposal" : "Revising"}</h2>
      {onceLink ? (
        <>
          <p>
            <strong>Keep this link:</strong> it lets you revise your proposal after the maintainers' review. It is shown only this once
            (bookmark it or copy it somewhere safe); with an e-mail address on the proposal you also get a fresh one when changes are
            requested.
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
          {changesRequested ? "Change what the maintainers asked for: open" : "To change your proposal, open"} the revise link you were given
          when you sent it (it is also in the e-mail about the maintainers' comment). The same form opens, filled in with what you sent.
        </p>
      ) : null}
    </section>
  );
}
