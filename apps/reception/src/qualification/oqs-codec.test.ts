import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NumbersQueryError, parseNumbersQuery } from './numbers-query.js';
import {
  answerDocument,
  numbersRequest,
  OqsFormatError,
  parseAnswer,
  parseRequest,
} from './oqs-file-format.js';
import { OqsXmlError, parseXmlBytes, parseXmlText, serializeXml } from './oqs-xml.js';
import { decodeShiftJis, encodeShiftJis, isShiftJisEncodable } from './shift-jis.js';
import { SYNTHETIC_PERSONS } from './synthetic-persons.js';

describe('Shift_JIS codec (table from the platform decoder)', () => {
  it('encodes known characters to their CP932 bytes', () => {
    // 試 = 0x8E8E, 験 = 0x8CB1, 全角空白 = 0x8140, ｼ (half-width) = 0xBC, 髙 (IBM ext) = 0xFBFC, 〓 = 0x81AC
    expect([...encodeShiftJis('試験　ｼ髙〓').bytes]).toEqual([
      0x8e, 0x8e, 0x8c, 0xb1, 0x81, 0x40, 0xbc, 0xfb, 0xfc, 0x81, 0xac,
    ]);
  });

  it('substitutes characters outside Shift_JIS and counts them', () => {
    const { bytes, substituted } = encodeShiftJis('𠮷野');
    expect(substituted).toBe(1);
    expect(decodeShiftJis(bytes)).toBe('〓野');
    expect(isShiftJisEncodable('𠮷')).toBe(false);
    expect(decodeShiftJis(encodeShiftJis('𠮷', '●').bytes)).toBe('●');
    expect(() => encodeShiftJis('a', '𠮷')).toThrow(RangeError);
  });

  it('property: every encodable string round-trips', () => {
    const alphabet = [...'あいうアイウｱｲｳ漢字試験髙﨑①Ⅱ㈱￢∵ABC123　（）「」・ー〓●'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }), (chars) => {
        const text = chars.join('');
        const { bytes, substituted } = encodeShiftJis(text);
        expect(substituted).toBe(0);
        expect(decodeShiftJis(bytes)).toBe(text);
      }),
    );
  });
});

describe('XmlMsg reader', () => {
  it('refuses truncated, oversized, DOCTYPE and unknown encodings with typed errors', () => {
    const full = serializeXml(
      numbersRequest({
        id: 'A1',
        medicalInstitutionCode: '1399999999',
        at: new Date(),
        answerEncoding: 'UTF-8',
        query: parseNumbersQuery({ insurerNumber: '138057', number: '1', birthDate: '1980-04-01' }),
      }),
      'UTF-8',
    ).bytes;
    for (let cut = 1; cut < full.length - 3; cut += 17) {
      expect(() => parseXmlBytes(full.subarray(0, cut))).toThrow(OqsXmlError);
    }
    expect(() => parseXmlBytes(new Uint8Array(2 * 1024 * 1024))).toThrow(/over/);
    expect(() => parseXmlText('<!DOCTYPE x [<!ENTITY a "b">]><x/>')).toThrow(OqsXmlError);
    expect(() =>
      parseXmlBytes(new TextEncoder().encode('<?xml version="1.0" encoding="EUC-JP"?><x/>')),
    ).toThrow(/unsupported/);
    const deep = `${'<a>'.repeat(40)}${'</a>'.repeat(40)}`;
    expect(() => parseXmlText(deep)).toThrow(/deeply/);
  });

  it('decodes entities and character references, keeps text of leaves only', () => {
    const root = parseXmlText('<?xml version="1.0"?><A><B>x &amp; y &#x3042;&#12354;</B><!-- c --><C/></A>');
    expect(root.children.map((entry) => [entry.name, entry.text])).toEqual([
      ['B', 'x & y ああ'],
      ['C', ''],
    ]);
  });

  it('property: arbitrary bytes never crash the reader (typed error or a tree)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          parseXmlBytes(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(OqsXmlError);
        }
      }),
    );
  });
});

describe('answer and request documents', () => {
  it('round-trip every synthetic person through an answer document in both encodings', () => {
    for (const encoding of ['Shift_JIS', 'UTF-8'] as const) {
      for (const person of SYNTHETIC_PERSONS) {
        const document = answerDocument({
          id: 'X1',
          medicalInstitutionCode: '1399999999',
          at: new Date('2026-12-07T01:02:03Z'),
          encoding,
          referenceClassification: '2',
          segmentOfResult: '1',
          body: {
            processingResultStatus: '1',
            qualificationValidity: person.validity,
            resultList: person.results,
          },
        });
        const { root } = parseXmlBytes(serializeXml(document, encoding).bytes);
        const { id, answer } = parseAnswer(root, { standIn: true });
        expect(id).toBe('X1');
        expect(answer.header.processExecutionTime).toBe('2026-12-07T01:02:03.000Z');
        expect(answer.body?.qualificationValidity).toBe(person.validity);
        expect(answer.body?.resultList).toEqual(
          person.results.map((result) => ({
            ...result,
            insuredBranchNumber: result.insuredBranchNumber ?? '',
          })),
        );
      }
    }
  });

  it('carries the 特定疾病 certificate and the viewing consents; refuses an unknown consent flag or disease category', () => {
    const withCodes = (flag: string, category: string) =>
      answerDocument({
        id: 'X2',
        medicalInstitutionCode: '1399999999',
        at: new Date('2026-12-07T01:02:03Z'),
        encoding: 'UTF-8',
        referenceClassification: '1',
        segmentOfResult: '1',
        body: {
          processingResultStatus: '1',
          qualificationValidity: '1',
          resultList: [
            {
              ...SYNTHETIC_PERSONS.find((person) => person.id === 'valid-specific-disease')!.results[0]!,
              specificDiseasesCertificateList: [{ diseaseCategory: category as '1' }],
              pharmacistsInfoConsent: { flag: flag as '1', availableUntil: '2026-12-08T00:30:00.000Z' },
            },
          ],
        },
      });
    const parse = (flag: string, category: string) =>
      parseAnswer(parseXmlBytes(serializeXml(withCodes(flag, category), 'UTF-8').bytes).root, {
        standIn: false,
      }).answer.body!.resultList[0]!;
    const parsed = parse('2', '3');
    expect(parsed.specificDiseasesCertificateList).toEqual([{ diseaseCategory: '3' }]);
    expect(parsed.pharmacistsInfoConsent).toEqual({ flag: '2', availableUntil: '2026-12-08T00:30:00.000Z' });
    expect(parsed.specificDiseasesCertificateRelatedConsFlg).toBe('1');
    expect(() => parse('7', '1')).toThrow(/PharmacistsInfoConsFlg/);
    expect(() => parse('1', '4')).toThrow(/SpecificDiseasesDiseaseCategory/);
  });

  it('refuses unknown codes in answers', () => {
    const bad = parseXmlText(
      '<XmlMsg><MessageHeader><SegmentOfResult>7</SegmentOfResult></MessageHeader></XmlMsg>',
    );
    expect(() => parseAnswer(bad, { standIn: false })).toThrow(OqsFormatError);
    const badValidity = parseXmlText(
      '<XmlMsg><MessageHeader><SegmentOfResult>1</SegmentOfResult></MessageHeader><MessageBody><ProcessingResultStatus>1</ProcessingResultStatus><QualificationValidity>6</QualificationValidity></MessageBody></XmlMsg>',
    );
    expect(() => parseAnswer(badValidity, { standIn: false })).toThrow(/QualificationValidity/);
  });

  it('reads the half-width kana, space-padded insurer number and substitute marks of real answers', () => {
    const root = parseXmlText(
      `<XmlMsg><MessageHeader><SegmentOfResult>1</SegmentOfResult><ReferenceClassification>1</ReferenceClassification></MessageHeader>
       <MessageBody><ProcessingResultStatus>1</ProcessingResultStatus><QualificationValidity>1</QualificationValidity>
       <ResultList><ResultOfQualificationConfirmation><InsuredCardClassification>01</InsuredCardClassification>
       <InsurerNumber>  123456</InsurerNumber><PersonalFamilyClassification>1</PersonalFamilyClassification>
       <Name>〓田　＿郎</Name><NameKana>ｼﾝﾘｮｳ ﾀﾛｳ</NameKana><Sex1>1</Sex1><Birthdate>20010327</Birthdate>
       <InsuredPartialContributionRatio>030</InsuredPartialContributionRatio></ResultOfQualificationConfirmation></ResultList>
       </MessageBody></XmlMsg>`,
    );
    const result = parseAnswer(root, { standIn: false }).answer.body!.resultList[0]!;
    expect(result.insurerNumber).toBe('123456');
    expect(result.name).toBe('●田　●郎');
    expect(result.nameKana).toBe('シンリョウ タロウ');
    expect(result.birthdate).toBe('2001-03-27');
  });

  it('a request round-trips; a by-numbers query is validated at the boundary', () => {
    const query = parseNumbersQuery({
      insurerNumber: '０６１３９９９９',
      symbol: ' 12 ',
      number: '345',
      branch: '02',
      birthDate: '2021-02-03',
    });
    expect(query.insurerNumber).toBe('06139999');
    const request = numbersRequest({
      id: 'R1',
      medicalInstitutionCode: '1399999999',
      at: new Date(),
      answerEncoding: 'Shift_JIS',
      query,
    });
    const parsed = parseRequest(parseXmlBytes(serializeXml(request, 'Shift_JIS').bytes).root);
    expect(parsed).toMatchObject({ kind: 'numbers', id: 'R1', answerEncoding: 'Shift_JIS', query });
    for (const bad of [
      { insurerNumber: '12345', number: '1', birthDate: '1980-01-01' },
      { insurerNumber: '123456', number: '', birthDate: '1980-01-01' },
      { insurerNumber: '123456', number: '1', birthDate: '1980-02-30' },
      { insurerNumber: '123456', number: '1', branch: '1', birthDate: '1980-01-01' },
      { insurerNumber: '123456', number: '<x>', birthDate: '1980-01-01' },
      { insurerNumber: 123456, number: '1', birthDate: '1980-01-01' },
    ]) {
      expect(() => parseNumbersQuery(bad)).toThrow(NumbersQueryError);
    }
  });
});
