using System;
using System.IO;
using FastBackprop.Data;
using FastBackprop.Training;
using Xunit;

namespace FastBackprop.Tests.Data;

/// <summary>
/// CSV reading on hand-built files: headers (detected, given, absent), targets by name, by index or the last N,
/// one-hot classes given or inferred, regression, RFC 4180 quoting, and malformed input named by line and column.
/// </summary>
public sealed class CsvDatasetTests : IDisposable
{
    readonly string _directory = Directory.CreateTempSubdirectory("fbp-csv-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    static Dataset<double> Read(string text, CsvDatasetOptions? options = null) =>
        CsvDataset.Read<double>(DataFiles.Utf8(text), options, "t.csv");

    static InvalidDataException Bad(string text, CsvDatasetOptions? options = null) =>
        Assert.Throws<InvalidDataException>(() => Read(text, options));

    [Fact]
    public void Header_is_detected_and_the_last_column_is_a_one_hot_class_by_default()
    {
        Dataset<double> set = Read("x,y,class\n0.5,-1,2\n1e-1, 3 ,0\n");

        Assert.Equal(2, set.SampleCount);
        Assert.Equal(2, set.InputCount);
        Assert.Equal(3, set.OutputCount);
        Assert.Equal([0.5, -1, 0.1, 3], set.Features.ToArray());
        Assert.Equal([0, 0, 1, 1, 0, 0], set.Targets.ToArray());
    }

    [Fact]
    public void Without_a_header_the_first_record_is_data()
    {
        Dataset<double> set = Read("1,2,1\n3,4,0\n");
        Assert.Equal([1.0, 2, 3, 4], set.Features.ToArray());
        Assert.Equal([0.0, 1, 1, 0], set.Targets.ToArray());

        // A numeric first record is a header only if told so.
        set = Read("7,8,9\n3,4,1\n", new CsvDatasetOptions { Header = CsvHeader.Present });
        Assert.Equal(1, set.SampleCount);
        Assert.Equal([3.0, 4], set.Features.ToArray());
    }

    [Fact]
    public void Target_by_name_with_a_given_class_count()
    {
        Dataset<float> set = CsvDataset.Read<float>(
            DataFiles.Utf8("digit,a,b\n1,0.25,0.5\n3,1,2\n"), new CsvDatasetOptions { TargetColumnName = "digit", ClassCount = 5 });

        Assert.Equal(5, set.OutputCount);
        Assert.Equal([0.25f, 0.5f, 1, 2], set.Features.ToArray());
        Assert.Equal([0f, 1, 0, 0, 0, 0, 0, 0, 1, 0], set.Targets.ToArray());
    }

    [Fact]
    public void Target_by_index_without_a_header()
    {
        Dataset<double> set = Read("5,0,6\n7,1,8\n", new CsvDatasetOptions { Header = CsvHeader.Absent, TargetColumnIndex = 1 });
        Assert.Equal([5.0, 6, 7, 8], set.Features.ToArray());
        Assert.Equal([1.0, 0, 0, 1], set.Targets.ToArray());
    }

    [Fact]
    public void Regression_takes_the_last_N_columns_or_a_named_one_as_they_are()
    {
        Dataset<double> set = Read("a;b;t1;t2\n1;2;0.5;-0.5\n3;4;1e3;7\n",
            new CsvDatasetOptions { Delimiter = ';', Targets = CsvTargets.Regression, TargetColumnCount = 2 });
        Assert.Equal(2, set.OutputCount);
        Assert.Equal([1.0, 2, 3, 4], set.Features.ToArray());
        Assert.Equal([0.5, -0.5, 1000, 7], set.Targets.ToArray());

        set = Read("price,size\n10.5,3\n", new CsvDatasetOptions { Targets = CsvTargets.Regression, TargetColumnName = "price" });
        Assert.Equal([3.0], set.Features.ToArray());
        Assert.Equal([10.5], set.Targets.ToArray());
    }

    [Fact]
    public void Quoted_fields_follow_RFC_4180_and_CRLF_and_blank_lines_are_accepted()
    {
        const string text = "\"width, cm\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n\r\n\"1.5\",2,1\r\n3,4,0\r\n";
        Dataset<double> set = Read(text, new CsvDatasetOptions { TargetColumnName = "two\nlines" });
        Assert.Equal([1.5, 2, 3, 4], set.Features.ToArray());
        Assert.Equal([0.0, 1, 1, 0], set.Targets.ToArray());

        set = Read(text, new CsvDatasetOptions { TargetColumnName = "say \"hi\"", Targets = CsvTargets.Regression });
        Assert.Equal([1.5, 1, 3, 0], set.Features.ToArray());
        Assert.Equal([2.0, 4], set.Targets.ToArray());
    }

    [Fact]
    public void Class_names_map_to_their_positions()
    {
        var options = new CsvDatasetOptions { ClassNames = ["setosa", "versicolor", "virginica"] };
        Dataset<double> set = Read("sepal,species\n5.1,virginica\n4.9, setosa \n6.0,\"versicolor\"\n", options);

        Assert.Equal([5.1, 4.9, 6.0], set.Features.ToArray());
        Assert.Equal([0.0, 0, 1, 1, 0, 0, 0, 1, 0], set.Targets.ToArray());

        // Without a header, a first record of numbers and class names is data.
        set = Read("5.1,virginica\n4.9,setosa\n", options);
        Assert.Equal([5.1, 4.9], set.Features.ToArray());

        var e = Bad("sepal,species\n5.1,Setosa\n", options);
        Assert.Contains("line 2, column 5: expected one of the class names 'setosa', 'versicolor', 'virginica' in column 2 ('species'), got 'Setosa'", e.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => Read("a\n", new CsvDatasetOptions { ClassNames = ["x", "x"] }));
        Assert.Throws<ArgumentException>(() => Read("a\n", new CsvDatasetOptions { ClassNames = ["x"] }));
        Assert.Throws<ArgumentException>(() => Read("a\n", new CsvDatasetOptions { ClassNames = ["x", "y"], ClassCount = 3 }));
    }

    [Fact]
    public void Reads_from_a_file_path_and_from_a_text_reader()
    {
        string path = Path.Combine(_directory, "d.csv");
        File.WriteAllText(path, "a,b\n1,0\n2,1\n");
        Assert.Equal([1.0, 2], CsvDataset.Read<double>(path).Features.ToArray());
        Assert.Equal([1.0, 2], CsvDataset.Read<double>(new StringReader("a,b\n1,0\n2,1\n")).Features.ToArray());

        var e = Assert.Throws<InvalidDataException>(() => CsvDataset.Read<double>(path, new CsvDatasetOptions { ClassCount = 2, TargetColumnName = "c" }));
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "t.csv: expected at least one record, but the text is empty")]
    [InlineData("a,b,c\n", "expected data after the header (line 1)")]
    [InlineData("a,b,c\n1,2,0\n3,4\n", "t.csv: line 3: expected 3 fields (as the header on line 1), got 2")]
    [InlineData("1,2,0\n\n3,4,1,5\n", "line 3: expected 3 fields (as the first record on line 1), got 4")]
    [InlineData("a,b,c\n1,2,0\n3,x4,1\n", "line 3, column 3: expected a number for column 2 ('b'), got 'x4'")]
    [InlineData("a,b,c\n1,2,0\n3,4,1.5\n", "line 3, column 5: expected a class label (a whole number from 0) in column 3 ('c'), got '1.5'")]
    [InlineData("a,b,c\n1,2,0\n3,4,-1\n", "line 3, column 5: expected a class label (a whole number from 0) in column 3 ('c'), got '-1'")]
    [InlineData("a,b,c\n1,2,0\n3,4,setosa\n", "got 'setosa'")]
    [InlineData("a,b,c\n1,NaN,0\n", "line 2, column 3: column 2 ('b') is 'NaN'; expected a finite number")]
    [InlineData("1,2,0\n3,1,5e300\n", "line 2, column 5: class label 5E+300 in column 3 is 65536 or more")]
    [InlineData("a,b,c\n1,2,0\n3,4,0\n", "every class label is 0; expected at least two classes")]
    [InlineData("a,b\n1,2\n\"3,4\n", "line 3, column 1: the quoted field that starts here is not closed by the end of the file")]
    [InlineData("a,b\n\"1\"x,2\n", "line 2, column 4: expected ',' or the end of the line after the closing quote, got 'x'")]
    [InlineData("a,b\n1\"2,2\n", "line 2, column 2: expected no quote inside an unquoted field")]
    [InlineData("a,b,c\n1,2,3,4\n", "line 2: expected 3 fields (as the header on line 1), got 4")]
    [InlineData("a,b,c\n1,2\n3,4,1\n", "line 2: expected 3 fields")]
    public void Malformed_text_is_reported_at_its_line_and_column(string text, string expected)
    {
        InvalidDataException e = Bad(text);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("t.csv: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Targets_that_do_not_fit_the_file_are_reported()
    {
        var e = Bad("a,b\n1,0\n", new CsvDatasetOptions { TargetColumnName = "label" });
        Assert.Contains("line 1: expected a column named 'label' in the header, got 'a', 'b'", e.Message, StringComparison.Ordinal);

        e = Bad("1,0\n", new CsvDatasetOptions { TargetColumnName = "label" });
        Assert.Contains("expected a header naming the target column 'label', but line 1 holds only numbers", e.Message, StringComparison.Ordinal);

        e = Bad("a,a\n1,0\n", new CsvDatasetOptions { TargetColumnName = "a" });
        Assert.Contains("names 'a' twice (columns 1 and 2)", e.Message, StringComparison.Ordinal);

        e = Bad("1,0\n", new CsvDatasetOptions { TargetColumnIndex = 2 });
        Assert.Contains("expected a column at index 2 (0-based), but the records have 2 columns", e.Message, StringComparison.Ordinal);

        e = Bad("1\n0\n");
        Assert.Contains("every one of the 1 columns is a target", e.Message, StringComparison.Ordinal);

        e = Bad("a,b\n1,3\n", new CsvDatasetOptions { ClassCount = 3 });
        Assert.Contains("line 2, column 3: class label 3 in column 2 ('b') is outside [0, 3)", e.Message, StringComparison.Ordinal);

        e = Bad("1,2\n", new CsvDatasetOptions { Targets = CsvTargets.Regression, TargetColumnCount = 3 });
        Assert.Contains("expected the last 3 columns to be targets, but the records have 2 columns", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Contradictory_options_are_refused_before_reading()
    {
        Assert.Throws<ArgumentException>(() => Read("a\n", new CsvDatasetOptions { TargetColumnName = "a", TargetColumnIndex = 0 }));
        Assert.Throws<ArgumentException>(() => Read("a\n", new CsvDatasetOptions { TargetColumnName = "a", Header = CsvHeader.Absent }));
        Assert.Throws<ArgumentException>(() => Read("a\n", new CsvDatasetOptions { TargetColumnIndex = -1 }));
        Assert.Throws<ArgumentException>(() => Read("a\n", new CsvDatasetOptions { TargetColumnCount = 2 }));
        Assert.Throws<ArgumentException>(() => Read("a\n", new CsvDatasetOptions { ClassCount = 1 }));
        Assert.Throws<ArgumentException>(() => Read("a\n", new CsvDatasetOptions { ClassCount = 3, Targets = CsvTargets.Regression }));
        Assert.Throws<ArgumentException>(() => Read("a\n", new CsvDatasetOptions { Delimiter = '"' }));
    }
}
