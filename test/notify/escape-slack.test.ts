import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeSlack, slackCode, slackLink } from '../../src/notify/escape-slack.js';
import { toSingleLine } from '../../src/report/strip-control.js';

const ZWJ = '\u200d';

/** The text a Slack reader sees: entities decoded, the zero-width joiners invisible. */
function visible(mrkdwn: string): string {
  return mrkdwn.replaceAll(ZWJ, '').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

/** Every `&` the output holds starts one of the three entities Slack decodes. */
const BARE_AMPERSAND = /&(?!amp;|lt;|gt;)/;

describe('escapeSlack', () => {
  // Tag values an attacker with tagging rights could set, expecting them in a Slack message.
  it.each([
    ['a channel-wide ping', '<!channel>'],
    ['a here ping', 'deploy <!here> now'],
    ['an everyone ping', '<!everyone>'],
    ['a user mention', 'owner <@U024BE7LH>'],
    ['a channel link', 'see <#C024BE7LR|general>'],
    ['a user-group mention', '<!subteam^SAZ94GDB8|@oncall>'],
    ['a labelled link', '<https://evil.example/login|Reset your password>'],
    ['a mailto link', '<mailto:bob@evil.example|security team>'],
    ['a date token', '<!date^1392734382^{date}|Feb 18>'],
    ['a half-open bracket joined with a later one', 'a <!channel b > c'],
  ])('keeps %s from forming', (_name, input) => {
    const out = escapeSlack(input);
    expect(out).not.toMatch(/[<>]/);
    expect(out).not.toMatch(BARE_AMPERSAND);
    expect(visible(out)).toBe(input);
  });

  it.each([
    ['an @channel word', '@channel', /@channel/],
    ['an @here word', 'ping @here please', /@here/],
    ['an @everyone word', '@everyone', /@everyone/],
    ['a bare URL', 'https://evil.example/login', /:\/\//],
    ['a bare www host', 'www.evil.example', /www\./i],
    ['an e-mail address', 'bob@evil.example', /@[a-z]/],
  ])('breaks the auto-linking of %s', (_name, input, forbidden) => {
    const out = escapeSlack(input);
    expect(out).not.toMatch(forbidden);
    expect(visible(out)).toBe(input);
  });

  it('leaves entities it did not write inert (they show as typed)', () => {
    const out = escapeSlack('&lt;!channel&gt; &amp;');
    expect(out).toBe('&amp;lt;!channel&amp;gt; &amp;amp;');
    expect(visible(out)).toBe('&lt;!channel&gt; &amp;');
  });

  it('keeps ordinary cloud text readable', () => {
    expect(escapeSlack('Opened to the entire internet (0.0.0.0/0) on port 22')).toBe('Opened to the entire internet (0.0.0.0/0) on port 22');
    expect(escapeSlack('sg-0a1b2c3d arn:aws:iam::123456789012:role/deploy')).toBe('sg-0a1b2c3d arn:aws:iam::123456789012:role/deploy');
  });

  it('puts the value on one line, so it cannot start a quote, a list or a code block of its own', () => {
    expect(escapeSlack('first\n> quoted\r\n• item\n```')).toBe('first &gt; quoted • item ```');
  });

  it('removes control characters, terminal escapes and bidi overrides', () => {
    expect(escapeSlack('a\u001b[2Jb\u0000c\u202ed\u0007')).toBe('abcd');
  });

  it('holds for any text: no bracket, only its own entities, no ping word, nothing lost', () => {
    const hostile = fc.oneof(fc.string(), fc.constantFrom('<', '>', '&', '@', '!', 'channel', 'here', '://', 'www.', '|', '^', 'amp;', 'lt;', ' ', '\n'));
    fc.assert(
      fc.property(fc.array(hostile).map((parts) => parts.join('')), (input) => {
        const out = escapeSlack(input);
        expect(out).not.toMatch(/[<>\n]/);
        expect(out).not.toMatch(BARE_AMPERSAND);
        expect(out).not.toMatch(/@(channel|here|everyone)/);
        expect(visible(out)).toBe(toSingleLine(input).replaceAll(ZWJ, ''));
      }),
    );
  });
});

describe('slackCode', () => {
  it.each([
    ['an address', 'aws_security_group.web', '`aws_security_group.web`'],
    ['a backtick that would end the span', 'a`b', '`aˋb`'],
    ['a ping inside', '<!channel>', '`&lt;!channel&gt;`'],
    ['empty', '', '` `'],
  ])('%s', (_name, input, expected) => {
    expect(slackCode(input)).toBe(expected);
  });
});

describe('slackLink', () => {
  it('links an https URL with an escaped label', () => {
    expect(slackLink('https://github.com/acme/infra/issues/42', 'issue #42 <b>')).toBe('<https://github.com/acme/infra/issues/42|issue #42 &lt;b&gt;>');
  });

  it('encodes what would end the link early and escapes ampersands', () => {
    expect(slackLink('https://ghe.example/a?x=1&y=<2>|3', 'dashboard')).toBe('<https://ghe.example/a?x=1&amp;y=%3C2%3E%7C3|dashboard>');
  });

  it.each([
    ['no URL', null],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a URL with a space', 'https://a.example/x y'],
  ])('gives the label alone for %s', (_name, url) => {
    expect(slackLink(url, 'dashboard')).toBe('dashboard');
  });
});
