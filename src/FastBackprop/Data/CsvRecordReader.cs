using System.Collections.Generic;
using System.IO;
using System.Text;

namespace FastBackprop.Data;

/// <summary>
/// Splits CSV text into records per RFC 4180: fields separated by a delimiter, records by CRLF or LF; a field in
/// double quotes may hold delimiters, line breaks and doubled quotes (""). Records that are empty or only
/// whitespace are skipped. Each field comes with the line and column (1-based) where it starts, for messages.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader, char delimiter, string source)
{
    readonly StringBuilder _field = new();
    int _line = 1;
    int _column = 1;

    /// <summary>The line the last record read starts on.</summary>
    public int RecordLine { get; private set; }

    /// <summary>Reads the next non-blank record into <paramref name="fields"/> and the column each starts at into <paramref name="columns"/>; false at the end.</summary>
    public bool TryRead(List<string> fields, List<int> columns)
    {
        while (true)
        {
            if (reader.Peek() < 0)
            {
                return false;
            }

            ReadRecord(fields, columns);
            if (!IsBlank(fields))
            {
                return true;
            }
        }
    }

    static bool IsBlank(List<string> fields) => fields.Count == 1 && string.IsNullOrWhiteSpace(fields[0]);

    void ReadRecord(List<string> fields, List<int> columns)
    {
        fields.Clear();
        columns.Clear();
        RecordLine = _line;
        while (true)
        {
            columns.Add(_column);
            bool endOfRecord = ReadField();
            fields.Add(_field.ToString());
            if (endOfRecord)
            {
                return;
            }
        }
    }

    // Reads one field into _field; true when it ended the record (line break or end of text), false at a delimiter.
    bool ReadField()
    {
        _field.Clear();
        int c = reader.Peek();
        if (c == '"')
        {
            return ReadQuotedField();
        }

        while (true)
        {
            c = Next();
            if (c < 0)
            {
                return true;
            }

            if (c == delimiter)
            {
                return false;
            }

            if (c == '\n')
            {
                return true;
            }

            if (c == '\r')
            {
                if (reader.Peek() == '\n')
                {
                    Next();
                }

                return true;
            }

            if (c == '"')
            {
                throw new InvalidDataException(
                    $"{source}: line {_line}, column {_column - 1}: expected no quote inside an unquoted field (quote the whole field and double the quote), got '\"'.");
            }

            _field.Append((char)c);
        }
    }

    bool ReadQuotedField()
    {
        int startLine = _line, startColumn = _column;
        Next(); // the opening quote
        while (true)
        {
            int c = Next();
            if (c < 0)
            {
                throw new InvalidDataException(
                    $"{source}: line {startLine}, column {startColumn}: the quoted field that starts here is not closed by the end of the file.");
            }

            if (c != '"')
            {
                _field.Append((char)c);
                continue;
            }

            if (reader.Peek() == '"')
            {
                Next();
                _field.Append('"');
                continue;
            }

            // The closing quote: only a delimiter or the end of the record may follow.
            c = Next();
            if (c < 0 || c == '\n')
            {
                return true;
            }

            if (c == '\r')
            {
                if (reader.Peek() == '\n')
                {
                    Next();
                }

                return true;
            }

            if (c == delimiter)
            {
                return false;
            }

            throw new InvalidDataException(
                $"{source}: line {_line}, column {_column - 1}: expected '{delimiter}' or the end of the line after the closing quote, got '{(char)c}'.");
        }
    }

    // One character, keeping the line and column of the next one.
    int Next()
    {
        int c = reader.Read();
        if (c == '\n' || (c == '\r' && reader.Peek() != '\n'))
        {
            _line++;
            _column = 1;
        }
        else if (c >= 0)
        {
            _column++;
        }

        return c;
    }
}
