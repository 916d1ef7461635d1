/**
 * How the shipper turns a log line into a record.
 */
export enum LogParserKind {
  /** Each line is the record's `message`, untouched. */
  NONE = 'none',
  /** Each line is a JSON object whose fields become the record's fields. */
  JSON = 'json',
  /** nginx's default `combined` access log format. */
  NGINX = 'nginx',
  /** Apache httpd's `combined` access log format. */
  APACHE = 'apache',
  /** A regular expression whose named groups become the record's fields. */
  REGEX = 'regex',
  /** Lines grouped into one record from a line that matches `firstLine` up to the next one (stack traces). */
  MULTILINE = 'multiline',
}

/**
 * How a log line becomes a record. Use the static factories.
 */
export class LogParser {
  /** Lines shipped as they are, in a `message` field. */
  public static none(): LogParser {
    return new LogParser(LogParserKind.NONE);
  }

  /** One JSON object per line. */
  public static json(): LogParser {
    return new LogParser(LogParserKind.JSON);
  }

  /** nginx access logs in the default `combined` format. */
  public static nginx(): LogParser {
    return new LogParser(LogParserKind.NGINX);
  }

  /** Apache httpd access logs in the `combined` format. */
  public static apache(): LogParser {
    return new LogParser(LogParserKind.APACHE);
  }

  /**
   * A regular expression with named groups, `(?<name>...)`, one per field.
   *
   * @param pattern the expression, matched against the whole line
   */
  public static regex(pattern: string): LogParser {
    return new LogParser(LogParserKind.REGEX, pattern);
  }

  /**
   * Records that span several lines, such as stack traces: a record starts at a line
   * that matches `firstLine` and takes every following line that does not.
   *
   * @param firstLine a regular expression matching the first line of a record,
   * for example `^\d{4}-\d{2}-\d{2}` for lines that start with a date
   */
  public static multiline(firstLine: string): LogParser {
    return new LogParser(LogParserKind.MULTILINE, firstLine);
  }

  private constructor(
    /** Which parser. */
    public readonly kind: LogParserKind,
    /** The regular expression of a REGEX or MULTILINE parser. */
    public readonly pattern?: string) {
  }
}
