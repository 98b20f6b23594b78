import type { Comment, Contact, User } from '../../src-shared/domain/entities';
import { formatDateTime } from '../lib/format';

interface Props {
  comments: Comment[];
  requester: Contact | null;
  users: User[];
}

/** The ticket's comments, oldest first; internal notes stand out (only agents see them). */
export function Conversation({ comments, requester, users }: Props) {
  const author = (comment: Comment) =>
    comment.authorId === null
      ? (requester?.name ?? 'Requester')
      : (users.find((u) => u.id === comment.authorId)?.name ?? 'An agent');
  return (
    <ol role="list" aria-label="Conversation" className="conversation">
      {comments.map((comment) => (
        <li
          key={comment.id}
          role="listitem"
          className={comment.public ? 'comment public' : 'comment internal'}
        >
          <div className="comment-head">
            <span className="comment-kind">
              {comment.public ? 'Public reply' : 'Internal note'}
            </span>
            <span className="comment-author">{author(comment)}</span>
            <time dateTime={comment.createdAt}>{formatDateTime(comment.createdAt)}</time>
          </div>
          <p className="comment-body">{comment.body}</p>
        </li>
      ))}
    </ol>
  );
}
